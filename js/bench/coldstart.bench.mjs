// Browser benchmark: cold start of a registered client whose IndexedDB holds 100 conversations
// and 10,000 messages (issue 8's goal: 300 ms to ready). The profile is built once per run, on
// disk: the package registers a wallet, the crowd makes 100 groups with it and sends 100
// messages into each, and the package's syncAll() takes them in and stores them, so the store
// is the one the package itself wrote. Each sample is then a new browser on that profile and a
// new page that calls Client.create first (starting the module is part of it, reported too)
// and lists the conversations. Prints one JSON array: medians of BENCHCOUNT samples.
import { withDiskProfile } from '../test/support/browser.mjs';
import { createClient, newWallet, openBenchPage, runs, startBench } from './support/harness.mjs';
import { log, row } from './support/stats.mjs';

const conversations = 100;
const perConversation = 100;
const bench = await startBench();
const samples = [];
try {
  await withDiskProfile(async (launch) => {
    const wallet = await launch(async (context) => {
      const page = await openBenchPage(context, bench.site);
      const wallet = await newWallet(page);
      const inboxId = await createClient(page, wallet, bench.node.url);
      await bench.crowd.call({ op: 'register', count: 1 });
      let t = Date.now();
      for (let i = 0; i < conversations; i++) {
        const { groupId } = await bench.crowd.call({ op: 'group', members: [inboxId] });
        await bench.crowd.call({ op: 'send', groupId, count: perConversation });
      }
      log('coldstart', `crowd sent ${conversations * perConversation} messages in ${conversations} groups in ${Date.now() - t} ms`);
      t = Date.now();
      const stored = await page.evaluate(async () => {
        await client.conversations.syncAll();
        const list = await client.conversations.list();
        const counts = await Promise.all(list.map((c) => c.countMessages({ kind: goxmtp.GroupMessageKind.Application })));
        await client.close();
        return { conversations: list.length, messages: counts.reduce((a, b) => a + Number(b), 0) };
      });
      log('coldstart', `syncAll stored ${stored.messages} messages in ${stored.conversations} conversations in ${Date.now() - t} ms`);
      if (stored.conversations !== conversations || stored.messages !== conversations * perConversation) {
        throw new Error(`the profile holds ${stored.conversations} conversations and ${stored.messages} messages`);
      }
      return wallet;
    });
    for (let i = 0; i < runs; i++) {
      samples.push(await launch(async (context) => {
        const page = await openBenchPage(context, bench.site);
        const s = await page.evaluate(async ({ wallet, apiUrl }) => {
          // Client.create starts the module itself; awaiting ready() first only splits the time.
          const t0 = performance.now();
          await goxmtp.ready();
          const started = performance.now();
          window.client = await goxmtp.Client.create(signerOf(wallet.address, wallet.privateKey), { env: 'local', apiUrl });
          const ready = performance.now();
          const list = await client.conversations.list();
          const listed = performance.now();
          await client.close();
          return { create_ms: ready - t0, module_ms: started - t0, list_ms: listed - ready, conversations: list.length };
        }, { wallet, apiUrl: bench.node.url });
        if (s.conversations !== conversations) throw new Error(`cold start listed ${s.conversations} conversations`);
        log('coldstart', JSON.stringify(s));
        return { create_ms: s.create_ms, of_which_module_ms: s.module_ms, create_and_list_ms: s.create_ms + s.list_ms };
      }));
    }
  });
} finally {
  await bench.close();
}
console.log(JSON.stringify([row(`BrowserColdStart/conversations=${conversations},messages=${conversations * perConversation}`, samples)]));
