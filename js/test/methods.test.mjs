// The browser-sdk 7.1 methods goxmtp added to close the API gaps, in headless Chromium against
// a real xmtpnode: installation-key signatures, key package statuses, identity update counts,
// consent streams, the wallets of an inbox, attachment encryption, createGroupOptimistic,
// register, generateInboxId, metadataFieldName and createEOASigner (checked against libxmtp's
// bindings run in Node); each checks its arguments (TypeError
// with code bridge.bad_argument) and the methods goxmtp lacks reject with code unsupported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as bindings from '@xmtp/wasm-bindings';
import { twoClients } from './support/twoclients.mjs';

const site = twoClients();

/** Runs fn in the page; resolves with {value} or {error: {name, code, message}}. */
const run = (fn, arg) => site.page.evaluate(([src, arg]) => outcome(() => (0, eval)(src)(arg)), [fn.toString(), arg]);

test('signWithInstallationKey signs; the verifications accept it and refuse anything else', { timeout: 60_000 }, async () => {
  const got = await run(async () => {
    const sig = await a.signWithInstallationKey('log in to example.com');
    const other = await b.signWithInstallationKey('log in to example.com');
    return {
      length: sig.length,
      own: await a.verifySignedWithInstallationKey('log in to example.com', sig),
      otherText: await a.verifySignedWithInstallationKey('log in to example.org', sig),
      othersSig: await a.verifySignedWithInstallationKey('log in to example.com', other),
      byKey: await b.verifySignedWithPublicKey('log in to example.com', sig, a.installationIdBytes),
      wrongKey: await b.verifySignedWithPublicKey('log in to example.com', sig, b.installationIdBytes),
      shortKey: await b.verifySignedWithPublicKey('log in to example.com', sig, new Uint8Array(3)),
    };
  });
  assert.ifError(got.error);
  assert.deepEqual(got.value, { length: 64, own: true, otherText: false, othersSig: false, byKey: true, wrongKey: false, shortKey: false });
  for (const bad of [
    () => a.signWithInstallationKey(42),
    () => a.verifySignedWithInstallationKey('x', 'not bytes'),
    () => a.verifySignedWithPublicKey('x', new Uint8Array(64), 'not bytes'),
  ]) {
    const r = await run(bad);
    assert.equal(r.error?.name, 'TypeError', String(bad));
    assert.equal(r.error?.code, 'bridge.bad_argument');
  }
});

test('fetchKeyPackageStatuses reports a fresh key package valid, with its lifetime; an installation without one has an error', { timeout: 60_000 }, async () => {
  const got = await run(async () => {
    const statuses = await a.fetchKeyPackageStatuses([b.installationId, '00'.repeat(32)]);
    return { ids: [...statuses.keys()].sort(), status: statuses.get(b.installationId), unknown: statuses.get('00'.repeat(32)), b: b.installationId };
  });
  assert.ifError(got.error);
  assert.deepEqual(got.value.ids, [got.value.b, '00'.repeat(32)].sort());
  assert.equal(typeof got.value.unknown.validationError, 'string');
  assert.equal(got.value.unknown.lifetime, undefined);
  assert.equal(got.value.status.validationError, undefined);
  const now = BigInt(Math.floor(Date.now() / 1000));
  assert.ok(got.value.status.lifetime.notBefore <= now && now < got.value.status.lifetime.notAfter, 'the lifetime holds now');
  for (const bad of [() => a.fetchKeyPackageStatuses('x'), () => a.fetchKeyPackageStatuses(['not hex'])]) {
    assert.equal((await run(bad)).error?.code, 'bridge.bad_argument', String(bad));
  }
});

test('identity update counts, with a client and without', { timeout: 60_000 }, async () => {
  const got = await run(async () => ({
    own: await a.fetchOwnInboxUpdatesCount(),
    both: Object.fromEntries(await a.fetchLatestInboxUpdatesCount([a.inboxId, b.inboxId])),
    statics: Object.fromEntries(await goxmtp.Client.fetchLatestInboxUpdatesCount([a.inboxId], { env: 'local', apiUrl })),
    a: a.inboxId,
    b: b.inboxId,
  }));
  assert.ifError(got.error);
  const { own, both, statics } = got.value;
  assert.equal(own, 1, 'a new inbox has one update: its creation with this installation');
  assert.deepEqual(both, { [got.value.a]: 1, [got.value.b]: 1 });
  assert.deepEqual(statics, { [got.value.a]: 1 });
  assert.equal((await run(() => a.fetchLatestInboxUpdatesCount([1]))).error?.name, 'TypeError');
});

test('streamConsent and streamPreferences deliver consent changes made through the client', { timeout: 60_000 }, async () => {
  const got = await run(async () => {
    const group = await a.conversations.createGroup([]);
    const consents = await a.preferences.streamConsent();
    const prefs = [];
    const preferences = await a.preferences.streamPreferences({ onValue: (v) => prefs.push(v) });
    await group.updateConsentState(goxmtp.ConsentState.Denied);
    await a.preferences.setConsentStates([{ entityType: goxmtp.ConsentEntityType.InboxId, entity: b.inboxId, state: goxmtp.ConsentState.Allowed }]);
    const seen = [(await consents.next()).value, (await consents.next()).value];
    while (prefs.length < 2) await new Promise((ok) => setTimeout(ok, 20));
    await consents.return();
    await preferences.end();
    return { seen, prefs, group: group.id, b: b.inboxId };
  });
  assert.ifError(got.error);
  const { seen, prefs, group, b } = got.value;
  assert.deepEqual(seen, [
    [{ entityType: 0, entity: group, state: 2 }],
    [{ entityType: 1, entity: b, state: 1 }],
  ]);
  assert.deepEqual(prefs, seen.map(([consent]) => [{ type: 'ConsentUpdate', consent }]));
});

test('createGroupOptimistic, register, and the methods goxmtp lacks', { timeout: 60_000 }, async () => {
  const got = await run(async () => {
    const group = await a.conversations.createGroupOptimistic({ groupName: 'later' });
    await group.addMembers([b.inboxId]);
    await a.register();
    return { name: group.name, members: (await group.members()).length };
  });
  assert.ifError(got.error);
  assert.deepEqual(got.value, { name: 'later', members: 2 });
  for (const missing of [
    () => a.importArchive(new Uint8Array(1), new Uint8Array(32)),
    () => a.createArchive(new Uint8Array(32)),
    () => a.listAvailableArchives(7),
    () => a.preferences.sync(),
    () => a.conversations.streamDeletedMessages(),
    async () => (await a.conversations.createGroup([])).processStreamedMessage(new Uint8Array(1)),
  ]) {
    const r = await run(missing);
    assert.equal(r.error?.code, 'unsupported', String(missing));
    assert.match(r.error.message, /not supported/);
  }
});

test('encryptAttachment seals a file that decryptAttachment opens from a received RemoteAttachment; tampering is refused', { timeout: 60_000 }, async () => {
  const got = await run(async () => {
    const file = { filename: 'note.txt', mimeType: 'text/plain', content: new TextEncoder().encode('secret note') };
    const sealed = await goxmtp.encryptAttachment(file);
    const { payload, ...fields } = sealed;
    const group = await a.conversations.createGroup([b.inboxId]);
    await group.sendRemoteAttachment({ ...fields, url: 'https://example.com/note', scheme: 'https://' });
    await b.conversations.sync();
    const seen = await b.conversations.getConversationById(group.id);
    await seen.sync();
    const remote = (await seen.messages({ kind: goxmtp.GroupMessageKind.Application })).at(-1).content;
    const opened = await goxmtp.decryptAttachment(payload, remote);
    const tampered = payload.slice();
    tampered[0] ^= 1;
    const refused = await outcome(() => goxmtp.decryptAttachment(tampered, remote));
    return {
      keys: Object.keys(sealed).sort(), digestIsHex: /^[0-9a-f]{64}$/.test(sealed.contentDigest), length: sealed.contentLength === payload.length,
      opened: { ...opened, content: new TextDecoder().decode(opened.content) }, refused: refused.error?.code,
    };
  });
  assert.ifError(got.error);
  assert.deepEqual(got.value, {
    keys: ['contentDigest', 'contentLength', 'filename', 'nonce', 'payload', 'salt', 'secret'], digestIsHex: true, length: true,
    opened: { filename: 'note.txt', mimeType: 'text/plain', content: 'secret note' }, refused: 'content.digest_mismatch',
  });
  assert.equal((await run(() => goxmtp.encryptAttachment({ mimeType: 'text/plain', content: 'not bytes' }))).error?.name, 'TypeError');
});

test('unsafe_addAccount links wallets, removeAccount unlinks one, changeRecoveryIdentifier moves the recovery role', { timeout: 90_000 }, async () => {
  const got = await run(async () => {
    const [second, third, taken] = await Promise.all([goxmtp.createLocalWallet(), goxmtp.createLocalWallet(), goxmtp.createLocalWallet()]);
    const other = await goxmtp.Client.create(taken.signer, { env: 'local', apiUrl, dbPath: null });
    const id = (w) => ({ identifier: w.address, identifierKind: goxmtp.IdentifierKind.Ethereum });
    const accounts = async () => (await a.preferences.inboxState()).accountIdentifiers.map((i) => i.identifier).sort();
    await a.unsafe_addAccount(second.signer);
    await a.unsafe_addAccount(third.signer);
    const linked = await accounts();
    const inboxOfSecond = await a.fetchInboxIdByIdentifier(id(second));
    const reassign = await outcome(() => a.unsafe_addAccount(taken.signer));
    const again = await outcome(() => a.unsafe_addAccount(second.signer));
    await a.removeAccount(id(third));
    const afterRemove = await accounts();
    await a.changeRecoveryIdentifier(id(second));
    const recovery = (await a.preferences.inboxState()).recoveryIdentifier.identifier;
    const notRecovery = await outcome(() => a.removeAccount(id(second)));
    await other.close();
    return {
      linked: linked.length, has: [second, third].every((w) => linked.includes(w.address)), inboxOfSecond, me: a.inboxId,
      reassign: reassign.error?.code, again: again.error?.code,
      afterRemove: afterRemove.includes(third.address), recovery: recovery === second.address, notRecovery: Boolean(notRecovery.error?.code),
    };
  });
  assert.ifError(got.error);
  assert.deepEqual(got.value, {
    linked: 3, has: true, inboxOfSecond: got.value.me, me: got.value.me,
    reassign: 'identity.inbox_reassign', again: 'identity.account_already_associated',
    afterRemove: false, recovery: true, notRecovery: true,
  });
  for (const bad of [() => a.removeAccount('x'), () => a.unsafe_addAccount({}), () => a.changeRecoveryIdentifier({ identifier: 1 })]) {
    assert.equal((await run(bad)).error?.name, 'TypeError', String(bad));
  }
});

test('without a client: Client.fetchInboxStates reads an inbox, Client.revokeInstallations frees an installation with the recovery wallet', { timeout: 90_000 }, async () => {
  const got = await run(async () => {
    const wallet = await goxmtp.createLocalWallet();
    const options = { env: 'local', apiUrl, dbPath: null };
    const first = await goxmtp.Client.create(wallet.signer, options);
    const second = await goxmtp.Client.create(wallet.signer, options);
    const installations = async () => (await goxmtp.Client.fetchInboxStates([first.inboxId], { env: 'local', apiUrl }))[0].installations.map((i) => i.id).sort();
    const before = await installations();
    await goxmtp.Client.revokeInstallations(wallet.signer, first.inboxId, [second.installationIdBytes], { env: 'local', apiUrl });
    const after = await installations();
    const unknown = await outcome(() => goxmtp.Client.fetchInboxStates(['00'.repeat(32)], { env: 'local', apiUrl }));
    await Promise.all([first.close(), second.close()]);
    return { before, after, both: [first.installationId, second.installationId].sort(), first: first.installationId, unknown: Boolean(unknown.error?.code) };
  });
  assert.ifError(got.error);
  assert.deepEqual(got.value.before, got.value.both);
  assert.deepEqual(got.value.after, [got.value.first]);
  assert.equal(got.value.unknown, true, 'an unknown inbox rejects with a code');
  for (const bad of [() => goxmtp.Client.fetchInboxStates('x'), () => goxmtp.Client.revokeInstallations(a.signer, a.inboxId, ['x'])]) {
    assert.equal((await run(bad)).error?.name, 'TypeError', String(bad));
  }
});

test('the JSON content types check what they send', { timeout: 60_000 }, async () => {
  const bad = await run(async () => {
    const group = await a.conversations.createGroup([]);
    const tries = {
      noButtons: () => group.sendActions({ id: 'm', description: 'd', actions: [] }),
      badStyle: () => group.sendActions({ id: 'm', description: 'd', actions: [{ id: '1', label: 'a', style: 7 }] }),
      noActionId: () => group.sendIntent({ id: 'm' }),
      bigintMetadata: () => group.sendIntent({ id: 'm', actionId: '1', metadata: { n: 1n } }),
      callWithoutDescription: () => group.sendWalletSendCalls({ version: '1', chainId: '0x1', from: '0x1', calls: [{ metadata: { transactionType: 't' } }] }),
    };
    const out = {};
    for (const [name, f] of Object.entries(tries)) out[name] = (await outcome(f)).error?.name;
    out.ok = typeof (await group.sendIntent({ id: 'm', actionId: '1', metadata: { n: 1 } }));
    return out;
  });
  assert.ifError(bad.error);
  assert.deepEqual(bad.value, {
    noButtons: 'TypeError', badStyle: 'TypeError', noActionId: 'TypeError', bigintMetadata: 'TypeError', callWithoutDescription: 'TypeError', ok: 'string',
  });
});

test('generateInboxId and metadataFieldName give what libxmtp gives; createEOASigner signs up a wallet', { timeout: 60_000 }, async () => {
  bindings.initSync({ module: readFileSync(new URL('../../node_modules/@xmtp/wasm-bindings/dist/bindings_wasm_bg.wasm', import.meta.url)) });
  const address = `0x${'5a'.repeat(20)}`;
  const got = await run(async (address) => {
    const identifier = { identifier: address, identifierKind: goxmtp.IdentifierKind.Ethereum };
    const signer = goxmtp.createEOASigner();
    const client = await goxmtp.Client.create(signer, { env: 'local', apiUrl, dbPath: null });
    const own = await goxmtp.generateInboxId(await signer.getIdentifier());
    const out = {
      inboxId: await goxmtp.generateInboxId(identifier),
      withNonce: await goxmtp.generateInboxId(identifier, 5n),
      fields: await Promise.all([0, 1, 2, 3, 4, 5].map((f) => goxmtp.metadataFieldName(f))),
      signedUp: own === client.inboxId,
      badIdentifier: (await outcome(() => goxmtp.generateInboxId('x'))).error?.name,
      badField: (await outcome(() => goxmtp.metadataFieldName(9))).error?.name,
    };
    await client.close();
    return out;
  }, address);
  assert.ifError(got.error);
  const identifier = { identifier: address, identifierKind: 0 };
  assert.deepEqual(got.value, {
    inboxId: bindings.generateInboxId(identifier),
    withNonce: bindings.generateInboxId(identifier, 5n),
    fields: [0, 1, 2, 3, 4, 5].map((f) => bindings.metadataFieldName(f)),
    signedUp: true, badIdentifier: 'TypeError', badField: 'TypeError',
  });
});

test('list orders by last activity when asked', { timeout: 60_000 }, async () => {
  const got = await run(async () => {
    const older = await a.conversations.createGroup([]);
    const newer = await a.conversations.createGroup([]);
    const before = (await a.conversations.list({ orderBy: goxmtp.ListConversationsOrderBy.LastActivity }))[0].id;
    await older.sendText('bump');
    const after = (await a.conversations.list({ orderBy: goxmtp.ListConversationsOrderBy.LastActivity }))[0].id;
    const byCreation = (await a.conversations.list()).map((c) => c.id);
    const bad = (await outcome(() => a.conversations.list({ orderBy: 5 }))).error?.name;
    return { before: before === newer.id, after: after === older.id, oldestFirst: byCreation.indexOf(older.id) < byCreation.indexOf(newer.id), bad };
  });
  assert.ifError(got.error);
  assert.deepEqual(got.value, { before: true, after: true, oldestFirst: true, bad: 'TypeError' });
});

test('a send with an idempotencyKey is sent once', { timeout: 60_000 }, async () => {
  const got = await run(async () => {
    const group = await a.conversations.createGroup([]);
    const ids = [
      await group.sendText('pay 5', { idempotencyKey: 'order-1' }),
      await group.sendText('pay 5', { idempotencyKey: 'order-1' }),
      await group.sendText('pay 5', { idempotencyKey: 'order-2' }),
    ];
    const texts = (await group.messages({ kind: goxmtp.GroupMessageKind.Application })).length;
    const bad = (await outcome(() => group.sendText('x', { idempotencyKey: 1 }))).error?.name;
    return { same: ids[0] === ids[1], other: ids[0] !== ids[2], texts, bad };
  });
  assert.ifError(got.error);
  assert.deepEqual(got.value, { same: true, other: true, texts: 2, bad: 'TypeError' });
});

test('signature requests: the app has the wallet sign the text and applies the signature', { timeout: 90_000 }, async () => {
  const got = await run(async () => {
    const wallet = await goxmtp.createLocalWallet();
    const options = { env: 'local', apiUrl, dbPath: null };
    const first = await goxmtp.Client.create(wallet.signer, options);
    const second = await goxmtp.Client.create(wallet.signer, options);
    const identifier = { identifier: wallet.address, identifierKind: goxmtp.IdentifierKind.Ethereum };
    const installations = async () => (await first.preferences.inboxState()).installations.length;
    const before = await installations();
    const request = await first.unsafe_revokeInstallationsSignatureText([second.installationIdBytes]);
    const bytes = await wallet.signer.signMessage(request.signatureText);
    const wrongWallet = await outcome(() => first.unsafe_applySignatureRequest(
      { type: 'EOA', identifier: { identifier: `0x${'9'.repeat(40)}`, identifierKind: 0 }, signature: bytes }, request.signatureRequestId));
    await first.unsafe_applySignatureRequest({ type: 'EOA', identifier, signature: bytes }, request.signatureRequestId);
    const again = await outcome(() => first.unsafe_applySignatureRequest({ type: 'EOA', identifier, signature: bytes }, request.signatureRequestId));
    const scw = await outcome(() => first.unsafe_applySignatureRequest({ type: 'SCW', identifier, signature: bytes }, 'x'));
    const create = await first.unsafe_createInboxSignatureText();
    const after = await installations();
    await Promise.all([first.close(), second.close()]);
    return { before, after, text: typeof request.signatureText, wrongWallet: wrongWallet.error?.code, again: again.error?.code, scw: scw.error?.code, create };
  });
  assert.ifError(got.error);
  assert.deepEqual(got.value, {
    before: 2, after: 1, text: 'string', wrongWallet: 'identity.signature_request_signer',
    again: 'identity.no_signature_request', scw: 'signer.unsupported', create: { signatureText: undefined, signatureRequestId: undefined },
  });
});
