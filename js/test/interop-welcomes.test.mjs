// Interop scenario 6, welcomes: libxmtp wraps a welcome for a goxmtp installation with X-Wing
// (kem_id 0x004D) because goxmtp's key packages advertise an X-Wing key (0xff03), and with
// Curve25519 for a goxmtp installation made without it (the client's untyped
// _curve25519Welcomes option); goxmtp wraps for libxmtp (whose key packages always carry 0xff03)
// with X-Wing; each side joins and reads the other. In groups of five installations, each side
// sends XIP-74 welcome pointers to the installations advertising 0xff04 and 0xff03, which both
// SDKs' key packages do, and the other side resolves them. The node's welcome topics show which
// wrapping was used. goxmtp wrapping with Curve25519 for libxmtp cannot be tested: browser-sdk
// 7.1's key packages always offer an X-Wing key.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { groupOf, newKey, startInterop, until } from './interop/harness.mjs';
import { waitingFor } from './interop/features.mjs';
import { welcomesTo } from './interop/welcomes.mjs';

let net;
let gox;
let goxCurve;
let libs;
before(async () => {
  net = await startInterop();
  const open = async (sdk, options) => {
    const p = await net.openPeer(sdk);
    p.me = await p.create({ key: newKey(), apiUrl: net.node.url, ...options });
    return p;
  };
  gox = await open('goxmtp');
  goxCurve = await open('goxmtp', { _curve25519Welcomes: true });
  libs = [await open('libxmtp'), await open('libxmtp'), await open('libxmtp'), await open('libxmtp')];
});
after(() => net?.close());

/** How the welcome of group id reached peer, once it has joined the group. */
async function welcomeOf(peer, id) {
  await peer.join(id);
  const all = await welcomesTo(net.node.url, peer.me.installationId);
  assert.ok(all.length > 0, `the node holds a welcome for ${peer.sdk}`);
  return all[0];
}

/** Each reader receives a text the writer sends to group id. */
async function reads(writer, readers, id, text) {
  await writer.sendText(id, text);
  for (const r of readers) {
    await until(`${r.sdk} reading "${text}"`, async () => (await r.messages(id)).some((m) => m.content === text));
  }
}

const creates = waitingFor('Conversations.createGroup');

test('libxmtp wraps for goxmtp with X-Wing (goxmtp key package with 0xff03); goxmtp joins', { timeout: 120_000, todo: creates }, async () => {
  const id = await groupOf(libs[0], [gox]);
  assert.deepEqual(await welcomeOf(gox, id), { kind: 'v1', algorithm: 'XWING_MLKEM_768_DRAFT_6' });
  await reads(libs[0], [gox], id, 'wrapped with X-Wing');
  await reads(gox, [libs[0]], id, 'opened');
});

test('libxmtp wraps for goxmtp with Curve25519 when its key package has no 0xff03; goxmtp joins', { timeout: 120_000, todo: creates }, async () => {
  const id = await groupOf(libs[0], [goxCurve]);
  assert.deepEqual(await welcomeOf(goxCurve, id), { kind: 'v1', algorithm: 'CURVE25519' });
  await reads(libs[0], [goxCurve], id, 'wrapped with Curve25519');
});

test('goxmtp wraps for libxmtp with X-Wing (kem_id 0x004D); libxmtp joins', { timeout: 120_000, todo: creates }, async () => {
  const id = await groupOf(gox, [libs[0]]);
  assert.deepEqual(await welcomeOf(libs[0], id), { kind: 'v1', algorithm: 'XWING_MLKEM_768_DRAFT_6' });
});

test('libxmtp sends welcome pointers to libxmtp and goxmtp in a group of five; all join', { timeout: 180_000, todo: creates }, async () => {
  const [creator, ...others] = libs;
  const id = await groupOf(creator, [...others, gox]);
  for (const p of [...others, gox]) assert.equal((await welcomeOf(p, id)).kind, 'pointer', `${p.sdk} gets a pointer`);
  await reads(creator, [gox], id, 'pointed to');
});

test('goxmtp sends welcome pointers to libxmtp in a group of five', { timeout: 180_000, todo: creates }, async () => {
  const id = await groupOf(gox, libs);
  const kinds = [];
  for (const p of libs) kinds.push((await welcomeOf(p, id)).kind);
  assert.deepEqual(kinds, libs.map(() => 'pointer'));
  await reads(gox, libs, id, 'pointed to by goxmtp');
});
