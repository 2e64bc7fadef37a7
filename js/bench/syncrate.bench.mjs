// Browser benchmark: messages per second that a member's sync() fetches, decrypts, validates
// and stores in IndexedDB (an on-disk profile), in a group of 50 members. The crowd makes the
// group (its first client, 48 more of its clients and the package's one) and, before each
// sample, sends it a batch of text messages; the sample is the package's sync() of that batch:
// messages per second of wall time, and the CPU time Chromium spent (see cpuMeter). Prints one
// JSON array: medians of BENCHCOUNT samples.
import { withDiskProfile } from '../test/support/browser.mjs';
import { cpuMeter, createClient, newWallet, openBenchPage, quick, runs, startBench } from './support/harness.mjs';
import { log, row } from './support/stats.mjs';

const members = 50;
const batch = quick ? 200 : 1000;
const bench = await startBench();
const samples = [];
try {
  await withDiskProfile((launch) => launch(async (context) => {
    const page = await openBenchPage(context, bench.site);
    const inboxId = await createClient(page, await newWallet(page), bench.node.url);
    const { inboxIds } = await bench.crowd.call({ op: 'register', count: members - 1 });
    const { groupId } = await bench.crowd.call({ op: 'group', members: [...inboxIds.slice(1), inboxId] });
    await page.evaluate(async (id) => {
      await client.conversations.sync();
      window.group = await client.conversations.getConversationById(id);
      if (!group) throw new Error(`group ${id} never arrived`);
      await group.sync();
    }, groupId);
    const timed = await cpuMeter(context.browser());
    for (let i = 0; i < runs; i++) {
      await bench.crowd.call({ op: 'send', groupId, count: batch });
      const { value: s, ...cpu } = await timed(() => page.evaluate(async () => {
        const before = await group.countMessages({ kind: goxmtp.GroupMessageKind.Application });
        const t0 = performance.now();
        await group.sync();
        const ms = performance.now() - t0;
        return { ms, stored: Number((await group.countMessages({ kind: goxmtp.GroupMessageKind.Application })) - before) };
      }));
      if (s.stored !== batch) throw new Error(`sync stored ${s.stored} of ${batch} messages`);
      const sample = { msgs_per_s: batch / (s.ms / 1000), ms: s.ms, ...cpu };
      log('syncrate', JSON.stringify(sample));
      samples.push(sample);
    }
    await page.evaluate(() => client.close());
  }));
} finally {
  await bench.close();
}
console.log(JSON.stringify([row(`BrowserSyncMessages/members=${members},batch=${batch}`, samples)]));
