// Decoded shapes against libxmtp: each side sends one message of every built-in content type
// with its own SDK's calls, and goxmtp's listing of the conversation equals libxmtp's
// (@xmtp/browser-sdk 7.1) field by field: ids, kinds, content types, fallbacks, decoded
// contents (a reply's EnrichedReply with its contentType() and inReplyTo, attachments'
// bytes, transaction references, wallet calls, actions and intents), reply counts and the reactions attached
// to their message.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { groupOf, startPair } from './interop/harness.mjs';

let net;
let gox;
let lib;
before(async () => {
  ({ net, gox, lib } = await startPair());
});
after(() => net?.close());

for (const senderSdk of ['goxmtp', 'libxmtp']) {
  test(`every built-in type ${senderSdk} sends decodes the same in both SDKs`, { timeout: 120_000 }, async () => {
    const [sender, other] = senderSdk === 'goxmtp' ? [gox, lib] : [lib, gox];
    const id = await groupOf(sender, [other]);
    const textId = await sender.sendEveryType(id);
    const [byGox, byLib] = await Promise.all([gox.decoded(id), lib.decoded(id)]);
    // The group's own transcript (its creation) is made by each side from the commit; the
    // messages sent are what must agree.
    const sent = (list) => list.filter((m) => m.kind === 0);
    assert.deepEqual(sent(byGox), sent(byLib), 'goxmtp decodes every message as libxmtp does');
    const text = sent(byLib).find((m) => m.id === textId);
    assert.equal(text.reactions.length, 1, 'the reaction rides on the text');
    assert.equal(text.numReplies, 1n);
    assert.deepEqual(sent(byLib).map((m) => m.contentType.typeId),
      ['text', 'markdown', 'reply', 'attachment', 'remoteStaticAttachment', 'multiRemoteStaticAttachment', 'transactionReference', 'walletSendCalls', 'actions', 'intent'],
      'every type was listed (reactions and read receipts ride along or stay hidden)');
  });
}

test('conversations, members, inbox states and permissions read the same in both SDKs, enums included', { timeout: 120_000 }, async () => {
  const id = await groupOf(lib, [gox], { groupName: 'objects', messageDisappearingSettings: { fromNs: 1n, inNs: 86_400_000_000_000n } });
  const inboxes = [gox.me.inboxId, lib.me.inboxId];
  const [byGox, byLib] = await Promise.all([gox.objects(id, inboxes), lib.objects(id, inboxes)]);
  // Consent is each user's own decision: the creator allowed the group, the member did not yet.
  assert.equal(byLib.consentState, 1, 'ConsentState.Allowed for the creator');
  assert.equal(byGox.consentState, 0, 'ConsentState.Unknown for the member added');
  delete byGox.consentState;
  delete byLib.consentState;
  assert.deepEqual(byGox, byLib, 'goxmtp returns what libxmtp returns');
  assert.equal(byGox.metadata.conversationType, 1, 'ConversationType.Group');
  assert.equal(byGox.members.length, 2);
  assert.deepEqual(byGox.states.map((s) => s.accountIdentifiers.length), [1, 1]);
  assert.equal(byGox.disappearing.inNs, 86_400_000_000_000n);
});

test('fetchKeyPackageStatuses judges both SDKs\' key packages as libxmtp does', { timeout: 60_000 }, async () => {
  const ids = [gox.me.installationId, lib.me.installationId, '00'.repeat(32)];
  const [byGox, byLib] = await Promise.all([gox.keyPackageErrors(ids), lib.keyPackageErrors(ids)]);
  // Validation texts are each SDK's own; whether there is one must agree.
  const refused = (errors) => Object.values(errors).map((e) => e !== null);
  assert.deepEqual(refused(byGox), refused(byLib));
  assert.deepEqual(refused(byGox), [false, false, true], 'both fresh key packages valid, no key package refused');
});

test('installation key signatures verify across SDKs; identity update counts agree', { timeout: 60_000 }, async () => {
  for (const [signer, checker] of [[gox, lib], [lib, gox]]) {
    const sig = await signer.sign('log in to example.com');
    assert.equal(await checker.verify('log in to example.com', sig, signer.me.installationId), true, `${checker.sdk} verifies ${signer.sdk}'s signature`);
    assert.equal(await checker.verify('log in to example.org', sig, signer.me.installationId), false, `${checker.sdk} refuses it over another text`);
  }
  const inboxes = [gox.me.inboxId, lib.me.inboxId];
  assert.deepEqual(await gox.updateCounts(inboxes), await lib.updateCounts(inboxes));
});
