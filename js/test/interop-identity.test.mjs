// Interop scenario 1, identity: a goxmtp client and a libxmtp (@xmtp/browser-sdk 7.1.0) client
// register with the same node (which accepts both sides' identity updates and key packages),
// each side's canMessage and inbox lookup find the other and nobody else, and libxmtp finds
// nothing wrong with goxmtp's key package.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInterop, newKey } from './interop/harness.mjs';

let net;
let gox;
let lib;
let g;
let l;
before(async () => {
  net = await startInterop();
  [gox, lib] = await Promise.all([net.openPeer('goxmtp'), net.openPeer('libxmtp')]);
  g = await gox.create({ key: newKey(), apiUrl: net.node.url });
  l = await lib.create({ key: newKey(), apiUrl: net.node.url });
});
after(() => net?.close());

test('goxmtp and libxmtp register and find each other', { timeout: 180_000 }, async () => {
  assert.notEqual(g.inboxId, l.inboxId);
  const stranger = '0x000000000000000000000000000000000000dead';
  for (const [me, other] of [[gox, l], [lib, g]]) {
    assert.deepEqual(await me.canMessage([other.address, stranger]), { [other.address]: true, [stranger]: false }, `${me.sdk} canMessage`);
    assert.equal(await me.inboxIdOf(other.address), other.inboxId, `${me.sdk} finds the other inbox`);
    assert.equal(await me.inboxIdOf(stranger), undefined, `${me.sdk} finds no inbox for a stranger`);
  }
});

test("libxmtp accepts goxmtp's key package", { timeout: 60_000 }, async () => {
  assert.deepEqual(await lib.keyPackageErrors([g.installationId, l.installationId]), { [g.installationId]: null, [l.installationId]: null });
});
