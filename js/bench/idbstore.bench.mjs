// Browser benchmark: idbstore's Go benchmarks (storetest.Bench: an Apply of 1,000 messages, a
// Scan of 10,000; reopening a database with an app key and with a wrapped key) compiled to
// js/wasm and run in headless Chromium on an on-disk profile, where IndexedDB really flushes.
// Prints one JSON array; Go reports each as the mean of its iterations.
import { withDiskProfile } from '../test/support/browser.mjs';
import { runGoTest, serveGoTests } from '../test/support/gotest.mjs';
import { runs } from './support/harness.mjs';

const pkg = './idbstore';
const served = await serveGoTests([pkg]);
const results = [];
try {
  await withDiskProfile((launch) => launch((context) => runGoTest(context, served, pkg, {
    args: ['-test.run', '^$', '-test.bench', '^Benchmark(Store|Reopen)$', '-test.benchtime', `${runs}x`],
    timeoutMs: 280_000,
    onLine: (line) => {
      const m = /^Benchmark((?:Store|Reopen)\/\w+)\S*\s+\d+\s+(\d+) ns\/op/.exec(line);
      if (m) {
        results.push({ name: `BenchmarkIDB${m[1]}`, pkg: 'idbstore', platform: 'chromium', runs, median: { 'ms/op': Number(m[2]) / 1e6 } });
      }
    },
  })));
} finally {
  await served.close();
}
console.log(JSON.stringify(results));
