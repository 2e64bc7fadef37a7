// One client's streams share its subscriptions (issue 8 item 2): in headless Chromium against a
// real xmtpnode, a client running streamAllMessages, streamAllDmMessages, two group streams and
// two conversation streams holds at most two WebSockets to the node (one for group messages,
// one for welcomes), and every stream still gets its messages live, including those of a group
// joined while they run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './support/browser.mjs';
import { startClientSite } from './support/clientsite.mjs';

let env;
let node;
let site;
let browser;

before(async () => {
  env = await startClientSite();
  ({ node, site, browser } = env);
});

after(async () => {
  await env?.stop();
});

/** A new browser profile on the client page, its client created with a fresh wallet. */
async function openClient() {
  const context = await browser.newContext();
  const page = await openPage(context, `${site.url}/client.html`);
  await page.waitForFunction(() => window.pageReady);
  const key = `0x${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex')}`;
  const res = await page.evaluate(async ({ key, apiUrl }) => outcome(async () => {
    window.client = await goxmtp.Client.create(signerOf(key), { env: 'local', apiUrl });
    return client.inboxId;
  }), { key, apiUrl: node.url });
  assert.ifError(res.error);
  return { context, page, inboxId: res.value };
}

/**
 * Counts the page's WebSockets to the node (the client's, opened in its Web Worker, are
 * reported on the page): how many are open now, the most open at once, and how many opened.
 */
function countSockets(page) {
  const sockets = { open: 0, peak: 0, opened: 0 };
  page.on('websocket', (ws) => {
    if (!ws.url().startsWith(node.url.replace(/^http/, 'ws'))) return;
    sockets.opened++;
    sockets.open++;
    sockets.peak = Math.max(sockets.peak, sockets.open);
    ws.on('close', () => { sockets.open--; });
  });
  return sockets;
}

test('six streams of one client share two WebSockets and all get their messages live', { timeout: 180_000 }, async () => {
  const a = await openClient();
  const b = await openClient();
  try {
    const sockets = countSockets(b.page);
    const groupIds = await a.page.evaluate(async (bob) => {
      window.groups = [await client.conversations.createGroup([bob]), await client.conversations.createGroup([bob])];
      return groups.map((g) => g.id);
    }, b.inboxId);

    await b.page.evaluate(async (groupIds) => {
      await client.conversations.sync();
      window.seen = { all: [], dms: [], groups: [[], []], convs: [], groupConvs: [] };
      const text = (list) => ({ onValue: (m) => { if (typeof m.content === 'string') list.push(m.content); } });
      window.streams = [
        await client.conversations.streamAllMessages(text(seen.all)),
        await client.conversations.streamAllDmMessages(text(seen.dms)),
        await client.conversations.stream({ onValue: (c) => seen.convs.push(c.id) }),
        await client.conversations.streamGroups({ onValue: (c) => seen.groupConvs.push(c.id) }),
      ];
      for (const [i, id] of groupIds.entries()) {
        const g = await client.conversations.getConversationById(id);
        streams.push(await g.stream(text(seen.groups[i])));
      }
    }, groupIds);

    // Messages of the two groups, then a group and a DM created while the streams run.
    const later = await a.page.evaluate(async (bob) => {
      await groups[0].sendText('to group 0');
      await groups[1].sendText('to group 1');
      const g = await client.conversations.createGroup([bob]);
      const dm = await client.conversations.createDm(bob);
      await g.sendText('to the new group');
      await dm.sendText('to the dm');
      return { group: g.id, dm: dm.id };
    }, b.inboxId);

    await b.page.waitForFunction(() => seen.all.length >= 4 && seen.dms.length >= 1 &&
      seen.groups[0].length >= 1 && seen.groups[1].length >= 1 && seen.convs.length >= 2 &&
      seen.groupConvs.length >= 1, null, { timeout: 60_000 });
    const seen = await b.page.evaluate(() => seen);
    assert.deepEqual(seen.all.toSorted(), ['to group 0', 'to group 1', 'to the dm', 'to the new group']);
    assert.deepEqual(seen.dms, ['to the dm']);
    assert.deepEqual(seen.groups, [['to group 0'], ['to group 1']]);
    assert.deepEqual(seen.convs.toSorted(), [later.dm, later.group].toSorted());
    assert.deepEqual(seen.groupConvs, [later.group]);

    console.log(`sockets of one client with 6 streams: ${sockets.opened} opened, at most ${sockets.peak} open at once`);
    assert.ok(sockets.opened >= 1, 'the client\'s WebSockets are seen');
    assert.ok(sockets.peak <= 2, `${sockets.peak} WebSockets open at once, want at most 2`);

    // Closing every stream but one group's leaves that one live on one socket.
    await b.page.evaluate(async () => {
      for (const s of streams.slice(0, 5)) await s.return();
    });
    await a.page.evaluate(async () => groups[1].sendText('after the others closed'));
    await b.page.waitForFunction(() => seen.groups[1].includes('after the others closed'), null, { timeout: 60_000 });
    const deadline = Date.now() + 10_000;
    while (sockets.open > 1 && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 50));
    assert.equal(sockets.open, 1, 'only the group-message socket stays open');
    await b.page.evaluate(() => streams[5].return());
    while (sockets.open > 0 && Date.now() < deadline + 10_000) await new Promise((ok) => setTimeout(ok, 50));
    assert.equal(sockets.open, 0, 'the last stream closed the last socket');
  } finally {
    await a.context.close();
    await b.context.close();
  }
});
