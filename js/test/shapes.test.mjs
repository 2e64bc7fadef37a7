// What goxmtp's objects return has @xmtp/browser-sdk 7.1's shapes: every built-in content type
// sent by one client and listed by another decodes to the 7.1 type's fields (names, types,
// enum values), listings attach reactions and replies as 7.1's enriched messages do, and
// conversations, members and inbox states carry 7.1's fields. In headless Chromium against a
// real xmtpnode; the field lists are those of @xmtp/wasm-bindings 1.11's declarations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { twoClients } from './support/twoclients.mjs';

const site = twoClients();

/** The sorted own keys of a value site.page.evaluate returned. */
const keys = (o) => Object.keys(o).sort();

test('every built-in content type decodes to browser-sdk 7.1 shape; listings enrich as 7.1 does', { timeout: 120_000 }, async () => {
  const got = await site.page.evaluate(async () => {
    const group = await a.conversations.createGroup([b.inboxId], { groupName: 'shapes' });
    const textId = await group.sendText('hello');
    await group.sendMarkdown('**bold**');
    await group.sendReaction({ reference: textId, referenceInboxId: a.inboxId, action: goxmtp.ReactionAction.Added, content: '👍', schema: goxmtp.ReactionSchema.Unicode });
    await group.sendReply({ reference: textId, referenceInboxId: a.inboxId, content: 'hi back' });
    await group.sendReadReceipt();
    const bytes = (n, v) => new Uint8Array(n).fill(v);
    await group.sendAttachment({ filename: 'a.txt', mimeType: 'text/plain', content: new TextEncoder().encode('file') });
    const remote = { url: 'https://example.com/f', contentDigest: 'ab'.repeat(32), secret: bytes(32, 1), salt: bytes(32, 2), nonce: bytes(12, 3), scheme: 'https://', contentLength: 42, filename: 'f.bin' };
    await group.sendRemoteAttachment(remote);
    await group.sendMultiRemoteAttachment({ attachments: [remote, { ...remote, filename: undefined, contentLength: undefined }] });
    const tx = { networkId: '1', reference: '0xabc', metadata: { transactionType: 'transfer', currency: 'ETH', amount: 0.5, decimals: 18, fromAddress: '0x1', toAddress: '0x2' } };
    await group.sendTransactionReference(tx);
    await group.sendWalletSendCalls({ version: '1.0', chainId: '0x1', from: '0x1', calls: [{ to: '0x2', data: '0x' }] });
    const badTx = await outcome(() => group.sendTransactionReference({ networkId: 1, reference: '0xabc' }));

    await b.conversations.sync();
    const seen = await b.conversations.getConversationById(group.id);
    await seen.sync();
    const listed = await seen.messages();
    const byType = Object.fromEntries(listed.map((m) => [m.contentType.typeId, m]));
    const reply = byType.reply.content;
    const plain = (m) => ({ ...m, sentAt: m.sentAt instanceof Date, reactions: m.reactions.length });
    return {
      metadata: seen.metadata,
      listedTypes: listed.map((m) => m.contentType.typeId),
      count: await seen.countMessages(),
      countType: typeof (await seen.countMessages()),
      text: plain(byType.text),
      textReaction: byType.text.reactions[0] && { ...byType.text.reactions[0], sentAt: undefined, reactions: byType.text.reactions[0].reactions.length },
      markdown: byType.markdown.content,
      reply: {
        keys: Object.keys(reply).sort(), referenceId: reply.referenceId, content: reply.content,
        contentType: await reply.contentType(), inReplyTo: reply.inReplyTo?.id, textId,
      },
      attachment: byType.attachment.content,
      remote: byType.remoteStaticAttachment.content,
      multi: byType.multiRemoteStaticAttachment.content,
      updated: byType.group_updated.content,
      tx: byType.transactionReference.content,
      calls: byType.walletSendCalls.content,
      badTx: badTx.error?.code,
      updatedKind: byType.group_updated.kind,
    };
  });

  assert.deepEqual(got.metadata, { creatorInboxId: await site.page.evaluate(() => a.inboxId), conversationType: 1 }, 'metadata.conversationType is ConversationType.Group');
  assert.deepEqual(got.listedTypes.filter((t) => t !== 'group_updated'),
    ['text', 'markdown', 'reply', 'attachment', 'remoteStaticAttachment', 'multiRemoteStaticAttachment', 'transactionReference', 'walletSendCalls'],
    'reactions and read receipts are not listed on their own');
  assert.equal(got.countType, 'bigint');
  assert.equal(got.count, BigInt(got.listedTypes.length + 2), 'countMessages counts reactions and read receipts');

  assert.deepEqual(keys(got.text), ['content', 'contentType', 'conversationId', 'deliveryStatus', 'id', 'kind', 'numReplies', 'reactions', 'senderInboxId', 'sentAt', 'sentAtNs']);
  assert.equal(got.text.content, 'hello');
  assert.equal(got.text.kind, 0, 'GroupMessageKind.Application');
  assert.equal(got.text.deliveryStatus, 1, 'DeliveryStatus.Published');
  assert.equal(got.text.numReplies, 1n);
  assert.equal(got.text.reactions, 1);
  assert.equal(typeof got.text.sentAtNs, 'bigint');
  assert.deepEqual(got.text.contentType, { authorityId: 'xmtp.org', typeId: 'text', versionMajor: 1, versionMinor: 0 });
  assert.deepEqual(keys(got.textReaction.content), ['action', 'content', 'reference', 'referenceInboxId', 'schema']);
  assert.equal(got.textReaction.content.content, '👍');
  assert.equal(got.textReaction.content.action, 1, 'ReactionAction.Added');
  assert.equal(got.textReaction.content.schema, 1, 'ReactionSchema.Unicode');
  assert.equal(got.textReaction.content.reference, got.reply.textId);
  assert.equal(got.markdown, '**bold**');

  assert.deepEqual(got.reply.keys, ['content', 'contentType', 'inReplyTo', 'referenceId'], 'EnrichedReply');
  assert.equal(got.reply.referenceId, got.reply.textId);
  assert.equal(got.reply.content, 'hi back');
  assert.deepEqual(got.reply.contentType, { authorityId: 'xmtp.org', typeId: 'text', versionMajor: 1, versionMinor: 0 });
  assert.equal(got.reply.inReplyTo, got.reply.textId, 'inReplyTo is the message answered');

  assert.deepEqual(keys(got.attachment), ['content', 'filename', 'mimeType']);
  assert.equal(new TextDecoder().decode(new Uint8Array(Object.values(got.attachment.content))), 'file');
  assert.deepEqual(keys(got.remote), ['contentDigest', 'contentLength', 'filename', 'nonce', 'salt', 'scheme', 'secret', 'url']);
  assert.equal(got.remote.contentLength, 42);
  assert.equal(got.remote.url, 'https://example.com/f');
  assert.deepEqual(keys(got.multi), ['attachments']);
  assert.deepEqual(keys(got.multi.attachments[1]), ['contentDigest', 'nonce', 'salt', 'scheme', 'secret', 'url'], 'optional fields are left out');

  assert.deepEqual(got.tx, { networkId: '1', reference: '0xabc', metadata: { transactionType: 'transfer', currency: 'ETH', amount: 0.5, decimals: 18, fromAddress: '0x1', toAddress: '0x2' } });
  assert.deepEqual(got.calls, { version: '1.0', chainId: '0x1', from: '0x1', calls: [{ to: '0x2', data: '0x' }] });
  assert.equal(got.badTx, 'bridge.bad_argument', 'a networkId that is not a string is a bad argument');

  assert.deepEqual(keys(got.updated), ['addedAdminInboxes', 'addedInboxes', 'addedSuperAdminInboxes', 'initiatedByInboxId',
    'leftInboxes', 'metadataFieldChanges', 'removedAdminInboxes', 'removedInboxes', 'removedSuperAdminInboxes']);
  assert.equal(got.updatedKind, 1, 'GroupMessageKind.MembershipChange');
});

test('streams give messages without enrichment; conversations, members and inbox states have 7.1 fields', { timeout: 120_000 }, async () => {
  const got = await site.page.evaluate(async () => {
    const dm = await a.conversations.createDm(b.inboxId);
    const stream = await b.conversations.streamAllMessages();
    const textId = await dm.sendText('to b');
    await dm.sendReply({ reference: textId, content: 'and again' });
    const streamed = [];
    while (streamed.length < 2) {
      const { value } = await stream.next();
      if (value.kind === goxmtp.GroupMessageKind.Application) streamed.push(value);
    }
    await stream.return();
    const members = await dm.members();
    const state = await a.preferences.inboxState();
    return {
      dmType: dm.metadata.conversationType,
      topic: dm.topic,
      id: dm.id,
      welcomeTopic: a.conversations.topic,
      installationId: a.installationId,
      streamedText: { ...streamed[0], sentAt: undefined },
      streamedReply: { ...streamed[1].content, contentType: undefined },
      member: members.find((m) => m.inboxId === b.inboxId),
      stateKeys: Object.keys(state).sort(),
      accounts: state.accountIdentifiers,
      lastRead: await (async () => {
        await dm.sendReadReceipt();
        return Object.fromEntries(await dm.lastReadTimes());
      })(),
      hmac: [...(await dm.hmacKeys()).keys()],
      isAdmin: await (await a.conversations.createGroup([])).isSuperAdmin(a.inboxId),
      duplicates: await (async () => {
        // Both sides make a DM at once, before either sees the other's: two DMs of one pair.
        const [c, d] = await Promise.all([goxmtp.createLocalWallet(), goxmtp.createLocalWallet()]);
        const options = { env: 'local', apiUrl, dbPath: null };
        const [cc, dc] = await Promise.all([goxmtp.Client.create(c.signer, options), goxmtp.Client.create(d.signer, options)]);
        const [mine] = await Promise.all([cc.conversations.createDm(dc.inboxId), dc.conversations.createDm(cc.inboxId)]);
        await cc.conversations.sync();
        const found = [(await mine.duplicateDms()).length, (await cc.conversations.listDms()).length, (await cc.conversations.listDms({ includeDuplicateDms: true })).length];
        await Promise.all([cc.close(), dc.close()]);
        return found;
      })(),
      debug: await dm.debugInfo(),
      paused: await dm.pausedForVersion(),
      byIdentifier: (await a.conversations.fetchDmByIdentifier(b.accountIdentifier))?.id,
      lookedUp: await (async () => {
        const m = await b.conversations.getMessageById(textId);
        const r = await b.conversations.getMessageById(streamed[1].id);
        return { numReplies: m.numReplies, inReplyTo: r.content.inReplyTo?.id, textId };
      })(),
    };
  });
  assert.equal(got.dmType, 0, 'metadata.conversationType is ConversationType.Dm');
  assert.equal(got.topic, `/xmtp/mls/1/g-${got.id}/proto`);
  assert.equal(got.welcomeTopic, `/xmtp/mls/1/w-${got.installationId}/proto`);
  assert.equal(got.streamedText.content, 'to b');
  assert.deepEqual(got.streamedText.reactions, []);
  assert.equal(got.streamedText.numReplies, 0n);
  assert.equal(got.streamedReply.inReplyTo, null, 'a streamed reply carries no inReplyTo');
  assert.equal(got.streamedReply.content, 'and again');
  assert.deepEqual(keys(got.member), ['accountIdentifiers', 'consentState', 'inboxId', 'installationIds', 'permissionLevel']);
  assert.equal(got.member.consentState, 0, 'ConsentState.Unknown');
  assert.deepEqual(got.stateKeys, ['accountIdentifiers', 'inboxId', 'installations', 'recoveryIdentifier']);
  assert.equal(got.accounts[0].identifierKind, 0, 'IdentifierKind.Ethereum');
  assert.equal(typeof Object.values(got.lastRead)[0], 'bigint');
  assert.deepEqual(got.hmac, [got.id]);
  assert.equal(got.isAdmin, true, 'isSuperAdmin resolves');
  assert.deepEqual(got.duplicates, [1, 1, 2], 'duplicateDms finds the other DM of the pair; listDms shows one unless asked');
  assert.equal(typeof got.debug.epoch, 'bigint');
  assert.equal(got.paused, undefined);
  assert.equal(got.byIdentifier, got.id);
  assert.deepEqual(got.lookedUp, { numReplies: 1n, inReplyTo: got.lookedUp.textId, textId: got.lookedUp.textId }, 'getMessageById enriches as 7.1 does');
});
