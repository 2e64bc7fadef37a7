// Browser benchmark: creating a group in Chromium (issue 8's goal: 1.5 s of client CPU for 400
// members). Members are the crowd's clients, registered natively beforehand, one installation
// each; the creator is the package in a page, reaching the node through a proxy that counts
// its uploads. Each sample: wall time of createGroup, the CPU time Chromium spent meanwhile
// (see cpuMeter) and the bytes uploaded. Prints one JSON array:
// medians of BENCHCOUNT samples per size.
import { launchChromium } from '../test/support/browser.mjs';
import { countingProxy } from '../test/interop/proxy.mjs';
import { cpuMeter, createClient, newWallet, openBenchPage, quick, runs, startBench } from './support/harness.mjs';
import { log, row } from './support/stats.mjs';

const sizes = quick ? [400] : [10, 100, 400];
const bench = await startBench();
const results = [];
let browser;
let proxy;
try {
  browser = await launchChromium();
  proxy = await countingProxy(bench.node.url);
  const t = Date.now();
  const { inboxIds } = await bench.crowd.call({ op: 'register', count: Math.max(...sizes) - 1 });
  log('creategroup', `crowd registered ${inboxIds.length} members in ${Date.now() - t} ms`);
  const page = await openBenchPage(await browser.newContext(), bench.site);
  await createClient(page, await newWallet(page), proxy.url);
  const timed = await cpuMeter(browser);
  for (const size of sizes) {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      await new Promise((ok) => setTimeout(ok, 500)); // the creator's background calls settle
      proxy.reset();
      const { value: ms, ...cpu } = await timed(() => page.evaluate(async (ids) => {
        const t0 = performance.now();
        await client.conversations.createGroup(ids);
        return performance.now() - t0;
      }, inboxIds.slice(0, size - 1)));
      const sample = { ms, ...cpu, upload_bytes: proxy.bytesUp };
      log('creategroup', `members=${size}`, JSON.stringify(sample));
      samples.push(sample);
    }
    results.push(row(`BrowserCreateGroup/members=${size}`, samples));
  }
} finally {
  await browser?.close();
  await proxy?.close();
  await bench.close();
}
console.log(JSON.stringify(results));
