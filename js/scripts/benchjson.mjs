// Turns `go test -bench` output (native file, then js/wasm file) into one JSON array: one entry
// per benchmark and platform, with the median of each metric over the repeated runs; then
// appends the browser benchmarks' results (a file of JSON arrays, one per line).
import { readFileSync } from 'node:fs';

const [nativeFile, wasmFile, browserFile] = process.argv.slice(2);

function parse(text, platform) {
  const byName = new Map();
  let pkg = '';
  for (const line of text.split('\n')) {
    const pkgLine = line.match(/^pkg: (\S+)/);
    if (pkgLine) pkg = pkgLine[1];
    const m = line.match(/^(Benchmark\S+?)(?:-\d+)?\s+(\d+)\s+(.*)$/);
    if (!m) continue;
    const key = `${pkg} ${m[1]}`;
    if (!byName.has(key)) byName.set(key, { name: m[1], pkg, platform, samples: [] });
    const metrics = {};
    const parts = m[3].trim().split(/\s+/);
    for (let i = 0; i + 1 < parts.length; i += 2) metrics[parts[i + 1]] = Number(parts[i]);
    byName.get(key).samples.push(metrics);
  }
  return [...byName.values()].map(({ name, pkg, platform, samples }) => {
    const units = new Set(samples.flatMap((s) => Object.keys(s)));
    const median = {};
    for (const u of units) {
      const v = samples.map((s) => s[u]).filter((x) => x !== undefined).sort((a, b) => a - b);
      median[u] = v[Math.floor(v.length / 2)];
    }
    return { name, pkg, platform, runs: samples.length, median };
  });
}

const read = (f) => (f ? readFileSync(f, 'utf8') : '');
// Browser benchmarks print one JSON array each, already as medians.
const browser = read(browserFile).split('\n').filter(Boolean).flatMap((line) => JSON.parse(line));
const results = [...parse(read(nativeFile), 'native'), ...parse(read(wasmFile), 'js/wasm'), ...browser];
console.log(JSON.stringify(results, null, 2));
