// Interop item 7, a deliberate difference: goxmtp groups may have up to 400 member inboxes, where
// libxmtp 1.11 stops at 250 (its MAX_GROUP_SIZE, which it checks only when adding members by
// address). goxmtp's own limit (400 work, the 401st is refused) is pinned natively in
// core/groupsize_test.go; this pins what a libxmtp member does in a goxmtp group past 250, with
// the smallest such group: 251 members, 249 of them a crowd of goxmtp clients in one page.
// Observed: libxmtp joins it and reads its messages; adding by address fails with its
// GroupError::UserLimitExceeded; adding by inbox id, which libxmtp does not limit, works.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { newKey, startInterop, until } from './interop/harness.mjs';

const libxmtpLimit = 250;

let net;
before(async () => {
  net = await startInterop();
});
after(() => net?.close());

test(`a goxmtp group of ${libxmtpLimit + 1}: libxmtp joins it, cannot add by address, can add by inbox id`, { timeout: 300_000 }, async () => {
  const apiUrl = net.node.url;
  const [creator, lib, late, crowd] = await Promise.all(['goxmtp', 'libxmtp', 'goxmtp', 'crowd'].map((sdk) => net.openPeer(sdk)));
  const [crowdIds] = await Promise.all([
    crowd.register('goxmtp', libxmtpLimit - 1, apiUrl),
    ...[creator, lib, late].map(async (p) => { p.me = await p.create({ key: newKey(), apiUrl }); }),
  ]);

  const id = await creator.createGroup([...crowdIds, lib.me.inboxId]);
  await lib.join(id, 120_000);
  assert.equal((await lib.describe(id)).members.length, libxmtpLimit + 1, 'libxmtp sees every member');
  await creator.sendText(id, `${libxmtpLimit + 1} of us`);
  await until('libxmtp to read the creator', async () => (await lib.messages(id)).some((m) => m.content === `${libxmtpLimit + 1} of us`), 60_000);

  // libxmtp's limit applies to additions by address only.
  assert.match(await lib.failure('addMembersByAddress', id, [late.me.address]) ?? 'added', /UserLimitExceeded/);
  await lib.addMembers(id, [late.me.inboxId]);
  await late.join(id, 120_000);
  for (const p of [creator, late]) {
    assert.equal((await p.describe(id)).members.length, libxmtpLimit + 2, `${p.sdk} follows libxmtp's addition`);
  }
});
