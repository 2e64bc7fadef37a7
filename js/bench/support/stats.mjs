// The figures a browser benchmark prints: quantiles of its samples, rounded, in the row shape
// js/scripts/benchjson.mjs merges with the Go benchmarks' ({name, pkg, platform, runs, median}).

/** The q-quantile (0..1) of xs, nearest rank; the median is quantile(xs, 0.5). */
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** Rounds to one decimal: the clocks measured resolve no finer than a tenth of a millisecond. */
const round = (x) => Math.round(x * 10) / 10;

/**
 * A result row: samples is a list of {figure: number}, reported as the median of each figure
 * over the samples.
 */
export function row(name, samples) {
  const median = {};
  for (const f of Object.keys(samples[0] ?? {})) median[f] = round(quantile(samples.map((s) => s[f]), 0.5));
  return { name, pkg: 'js', platform: 'chromium', runs: samples.length, median };
}

/** A result row of quantiles of one list of samples xs, each figure named <prefix>_p50 and so on. */
export function quantileRow(name, xs, prefix) {
  const median = {};
  for (const q of [50, 90, 99]) median[`${prefix}_p${q}`] = round(quantile(xs, q / 100));
  return { name, pkg: 'js', platform: 'chromium', runs: xs.length, median };
}

/** Logs a benchmark's progress on stderr (stdout carries only its JSON result). */
export const log = (bench, ...a) => console.error(`[${bench} bench]`, ...a);
