// Interop item 5, changes the policy forbids: in an admins-only group made by a libxmtp admin,
// a goxmtp member whose client skips its own policy check (the test-only module built with the
// goxmtp_testhooks tag, `make wasm-testhooks`) renames the group, adds someone to it and makes
// itself an admin. The commits reach the node; libxmtp and the other goxmtp member reject them,
// and the group carries on with the admin's next rename and message. The published module is
// checked to carry no hook.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { goxmtpWasm, groupOf, newKey, startInterop, testhooksWasm, until } from './interop/harness.mjs';

/** The -tags a Go binary was built with, from the build settings it embeds ('' for none). */
async function buildTags(wasmPath) {
  const bytes = await readFile(wasmPath).catch((err) => {
    throw new Error(`${wasmPath}: ${err.code} (make wasm and make wasm-testhooks build the modules)`);
  });
  const text = bytes.toString('latin1');
  if (!text.includes('build\tGOOS=js')) throw new Error(`${wasmPath} embeds no Go build settings`);
  return /build\t-tags=([^\n]*)\n/.exec(text)?.[1] ?? '';
}

test('the published module has no test hooks; the testhooks module has them', async () => {
  assert.doesNotMatch(await buildTags(goxmtpWasm), /goxmtp_testhooks/);
  assert.match(await buildTags(testhooksWasm), /goxmtp_testhooks/);
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
  assert.ok(pkg.files.every((f) => !f.includes('testhooks') && !f.startsWith('..')), `npm files: ${pkg.files}`);
});

// browser-sdk 7.1's GroupPermissionsOptions.AdminOnly, which goxmtp shares.
const AdminOnly = 1;

let net;
let admin; // libxmtp, the group's creator
let rogue; // goxmtp with the test hook
let other; // goxmtp
let outsider; // goxmtp, whom the rogue tries to add
before(async () => {
  net = await startInterop();
  [admin, rogue, other, outsider] = await Promise.all([
    net.openPeer('libxmtp'),
    net.openPeer('goxmtp', { wasmUrl: '/testhooks/goxmtp.wasm' }),
    net.openPeer('goxmtp'),
    net.openPeer('goxmtp'),
  ]);
  for (const p of [admin, rogue, other, outsider]) p.me = await p.create({ key: newKey(), apiUrl: net.node.url });
});
after(() => net?.close());

/** How many messages the node holds for a group (hex id), asked over Connect's JSON protocol. */
async function published(id) {
  const res = await fetch(`${net.node.url}/xmtp.mls.api.v1.MlsApi/QueryGroupMessages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ groupId: Buffer.from(id, 'hex').toString('base64'), pagingInfo: { limit: 100 } }),
  });
  if (!res.ok) throw new Error(`QueryGroupMessages: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()).messages ?? []).length;
}

test('a forbidden rename, addition and promotion from a modified goxmtp client are rejected by libxmtp and goxmtp', { timeout: 180_000 }, async () => {
  const id = await groupOf(admin, [rogue, other], { groupName: 'agreed', permissions: AdminOnly });
  const members = [admin, rogue, other].map((p) => p.me.inboxId).sort();
  const before = await published(id);

  // The rogue client publishes each change, then refuses it itself when it reads it back (the
  // error is the policy's, under whatever code reports a failed publication).
  const denied = /not allowed by the group's policies/;
  assert.match(await rogue.failure('updateName', id, 'renamed against the policy') ?? 'accepted', denied);
  assert.match(await rogue.failure('addMembers', id, [outsider.me.inboxId]) ?? 'accepted', denied);
  assert.match(await rogue.failure('addAdmin', id, rogue.me.inboxId) ?? 'accepted', denied);
  assert.equal(await published(id) - before, 3, 'the three forbidden commits reached the node');

  for (const p of [admin, other, rogue]) {
    const seen = await p.describe(id);
    assert.equal(seen.name, 'agreed', `${p.sdk} keeps the name`);
    assert.deepEqual(seen.members.map((m) => m.inboxId), members, `${p.sdk} keeps the members`);
    assert.deepEqual(seen.admins, [], `${p.sdk} keeps the admins`);
  }
  await outsider.syncAll();
  assert.ok(!(await outsider.listIds()).includes(id), 'the outsider got no welcome');

  // The group carries on: the admin's rename and message, and a goxmtp reply, reach everyone.
  await admin.updateName(id, 'renamed by the admin');
  await admin.sendText(id, 'still one group');
  await until('goxmtp to follow the admin', async () => (await other.describe(id)).name === 'renamed by the admin'
    && (await other.messages(id)).some((m) => m.content === 'still one group'));
  await other.sendText(id, 'goxmtp carries on');
  for (const [who, p] of [['the admin', admin], ['the rogue member', rogue]]) {
    await until(`${who} to see everything`, async () => {
      const texts = (await p.messages(id)).map((m) => m.content);
      return (await p.describe(id)).name === 'renamed by the admin' && texts.includes('still one group') && texts.includes('goxmtp carries on');
    });
  }
});
