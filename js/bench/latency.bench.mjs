// Browser benchmark: send-to-receive latency between two browser profiles through the local
// node (issue 8's target: p50 under 50 ms). Two pages, each its own browser context and
// client, share a group; the receiver streams it. Each message carries the time the sender
// called send() on a clock both pages share; the receiver's latency is the time its stream
// delivered the message minus that. Messages go one after another, each once the previous
// arrived; the first, which opens the path, is not counted. Prints one JSON array: p50, p90
// and p99 of the messages.
import { launchChromium } from '../test/support/browser.mjs';
import { createClient, newWallet, openBenchPage, quick, startBench } from './support/harness.mjs';
import { log, quantileRow } from './support/stats.mjs';

const count = quick ? 20 : 100;
const bench = await startBench();
let browser;
let result;
try {
  browser = await launchChromium();
  const [sender, receiver] = await Promise.all([0, 1].map(async () => {
    const page = await openBenchPage(await browser.newContext(), bench.site);
    return { page, inboxId: await createClient(page, await newWallet(page), bench.node.url) };
  }));
  const groupId = await sender.page.evaluate(async (peer) => {
    window.group = await client.conversations.createGroup([peer]);
    return group.id;
  }, receiver.inboxId);
  await receiver.page.evaluate(async (id) => {
    await client.conversations.sync();
    const group = await client.conversations.getConversationById(id);
    if (!group) throw new Error(`group ${id} never arrived`);
    window.latencies = [];
    window.stream = await group.stream({
      onValue: (m) => {
        const sentAt = /^latency (\S+)$/.exec(typeof m.content === 'string' ? m.content : '')?.[1];
        if (sentAt) latencies.push(now() - Number(sentAt));
      },
    });
  }, groupId);
  for (let i = 0; i <= count; i++) {
    await sender.page.evaluate(() => group.sendText(`latency ${now()}`));
    await receiver.page.waitForFunction((n) => latencies.length >= n, i + 1, { timeout: 30_000, polling: 5 });
  }
  const latencies = (await receiver.page.evaluate(() => latencies)).slice(1);
  log('latency', `${latencies.length} messages, ms: ${latencies.map((x) => x.toFixed(1)).join(' ')}`);
  result = quantileRow('BrowserSendToReceive/two-profiles', latencies, 'ms');
} finally {
  await browser?.close();
  await bench.close();
}
console.log(JSON.stringify([result]));
