// Browser benchmark: joining a group of 200 members (100 with BENCHQUICK) from its welcome.
// The crowd's first client creates the group with the other crowd members and a fresh client
// of the package in a page; the sample is that client's conversations.sync(): the welcome
// fetched and opened, the ratchet tree validated (a leaf signature per member), every member's
// identity log fetched and verified, the group stored in IndexedDB. Each sample has its own
// browser context and client, so no member's identity is known beforehand, as for a real
// newcomer. Prints one JSON array: the medians of BENCHCOUNT samples (wall time of sync() and
// the CPU time Chromium spent meanwhile, see cpuMeter).
import { launchChromium } from '../test/support/browser.mjs';
import { cpuMeter, createClient, newWallet, openBenchPage, quick, runs, startBench } from './support/harness.mjs';
import { log, row } from './support/stats.mjs';

const members = quick ? 100 : 200;
const bench = await startBench();
const browser = await launchChromium();
const samples = [];
try {
  const { inboxIds } = await bench.crowd.call({ op: 'register', count: members - 1 });
  const timed = await cpuMeter(browser);
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    try {
      const page = await openBenchPage(context, bench.site);
      const inboxId = await createClient(page, await newWallet(page), bench.node.url);
      await bench.crowd.call({ op: 'group', members: [...inboxIds.slice(1), inboxId] });
      await new Promise((ok) => setTimeout(ok, 500)); // the client's background calls settle
      const { value: ms, ...cpu } = await timed(() => page.evaluate(async () => {
        const t0 = performance.now();
        await client.conversations.sync();
        return performance.now() - t0;
      }));
      const joined = await page.evaluate(async () => (await client.conversations.list()).length);
      if (joined !== 1) throw new Error(`the page client is in ${joined} conversations, want 1`);
      const sample = { ms, ...cpu };
      log('joingroup', `members=${members}`, JSON.stringify(sample));
      samples.push(sample);
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
  await bench.close();
}
console.log(JSON.stringify([row(`BrowserJoinGroup/members=${members}`, samples)]));
