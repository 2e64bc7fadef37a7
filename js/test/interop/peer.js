// The page side of an interop peer: one client of either SDK per page, behind one interface
// (window.peer) that returns plain data, so a test drives goxmtp and libxmtp with the same
// calls and compares what each side reports. Both SDKs follow @xmtp/browser-sdk 7.1's API, so
// almost everything here is shared; an SDK's adapter supplies only what differs (creating the
// client, the signature form its signer returns, the reply content each one takes and gives).
import { privateKeyToAccount } from 'viem/accounts';

/** The message types the scenarios exchange; group updates and the like are left out. */
const appTypes = new Set(['text', 'reaction', 'reply']);

/**
 * Makes window.peer of an SDK. sdk: {IdentifierKind, signatureBytes(hex), create(signer,
 * apiUrl, options), replyContent(text), replyOf(content)}.
 */
export function makePeer(sdk) {
  let client;
  const conversations = new Map();
  const streamed = [];
  let stream;

  const normalize = (m) => {
    const type = m.contentType?.typeId;
    let content = m.content;
    if (type === 'reaction') {
      const { reference, referenceInboxId, action, content: emoji, schema } = content;
      content = { reference, referenceInboxId, action, content: emoji, schema };
    } else if (type === 'reply') {
      content = sdk.replyOf(content);
    }
    return { id: m.id, conversationId: m.conversationId, sender: m.senderInboxId, type, content };
  };

  /** The conversation with that id, syncing welcomes until it arrives (or timeoutMs passes). */
  async function conversation(id, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = conversations.get(id) ?? (await client.conversations.getConversationById(id));
      if (c) {
        conversations.set(id, c);
        return c;
      }
      if (Date.now() > deadline) throw new Error(`conversation ${id} never arrived`);
      await client.conversations.sync();
      await new Promise((ok) => setTimeout(ok, 200));
    }
  }

  // libxmtp's sync of a group it was removed from fails ("Group is inactive") where goxmtp's
  // succeeds; either way there is nothing more to read.
  const syncUnlessRemoved = (c) => c.sync().catch((err) => {
    if (!/inactive/i.test(err?.message)) throw err;
  });

  const remember = (c) => {
    conversations.set(c.id, c);
    return c.id;
  };

  return {
    async create({ key, apiUrl, ...options }) {
      const account = privateKeyToAccount(key);
      const signer = {
        type: 'EOA',
        getIdentifier: () => ({ identifier: account.address.toLowerCase(), identifierKind: sdk.IdentifierKind.Ethereum }),
        signMessage: async (message) => sdk.signatureBytes(await account.signMessage({ message })),
      };
      const started = performance.now();
      client = await sdk.create(signer, apiUrl, options);
      return {
        inboxId: client.inboxId,
        installationId: client.installationId,
        address: account.address.toLowerCase(),
        ms: performance.now() - started,
      };
    },

    async close() {
      await stream?.return?.();
      await client?.close();
    },

    async canMessage(addresses) {
      const found = await client.canMessage(addresses.map((identifier) => ({ identifier, identifierKind: sdk.IdentifierKind.Ethereum })));
      return Object.fromEntries(found instanceof Map ? found : Object.entries(found));
    },

    /** Why this side refuses each installation's key package (null: it accepts it). */
    async keyPackageErrors(installationIds) {
      const found = await client.fetchKeyPackageStatuses(installationIds);
      const statuses = found instanceof Map ? found : new Map(Object.entries(found));
      return Object.fromEntries(installationIds.map((id) => [id, statuses.has(id) ? statuses.get(id).validationError ?? null : 'no key package']));
    },

    inboxIdOf: (address) => client.fetchInboxIdByIdentifier({ identifier: address, identifierKind: sdk.IdentifierKind.Ethereum }),

    createGroup: async (inboxIds, options) => remember(await client.conversations.createGroup(inboxIds, options)),
    createDm: async (inboxId) => remember(await client.conversations.createDm(inboxId)),

    /** Waits until the conversation has arrived by welcome; resolves with its id. */
    join: async (id, timeoutMs) => (await conversation(id, timeoutMs)).id,
    sync: async (id) => (await conversation(id)).sync(),
    syncAll: () => client.conversations.syncAll(),
    /** Whether this installation is still a member, after syncing (which tells it if not). */
    async isActive(id) {
      const c = await conversation(id);
      await syncUnlessRemoved(c);
      return c.isActive();
    },
    listIds: async () => (await client.conversations.list()).map((c) => c.id).sort(),

    /** What this side knows of a conversation after syncing it. */
    async describe(id) {
      const c = await conversation(id);
      await c.sync();
      const members = (await c.members())
        .map((m) => ({ inboxId: m.inboxId, installationIds: [...m.installationIds].sort(), permissionLevel: m.permissionLevel }))
        .sort((a, b) => a.inboxId.localeCompare(b.inboxId));
      if (typeof c.peerInboxId === 'function') {
        return { id: c.id, type: 'dm', members, peerInboxId: await c.peerInboxId() };
      }
      return {
        id: c.id,
        type: 'group',
        members,
        name: c.name,
        description: c.description,
        imageUrl: c.imageUrl,
        admins: [...(await c.listAdmins())].sort(),
        superAdmins: [...(await c.listSuperAdmins())].sort(),
      };
    },

    permissions: async (id) => (await conversation(id)).permissions(),

    sendText: async (id, text) => (await conversation(id)).sendText(text),
    async sendReaction(id, reference, referenceInboxId, emoji) {
      // ReactionAction.Added and ReactionSchema.Unicode: the same numbers in both SDKs.
      return (await conversation(id)).sendReaction({ reference, referenceInboxId, action: 1, content: emoji, schema: 1 });
    },
    async sendReply(id, reference, referenceInboxId, text) {
      return (await conversation(id)).sendReply({ reference, referenceInboxId, content: await sdk.replyContent(text) });
    },

    /**
     * The application messages of a conversation after syncing it, oldest first. libxmtp
     * lists a reaction inside the message it reacts to, not on its own; it is put back.
     */
    async messages(id) {
      const c = await conversation(id);
      await syncUnlessRemoved(c);
      return (await c.messages())
        .flatMap((m) => [m, ...(m.reactions ?? [])])
        .sort((a, b) => (a.sentAtNs < b.sentAtNs ? -1 : a.sentAtNs > b.sentAtNs ? 1 : 0))
        .map(normalize)
        .filter((m) => appTypes.has(m.type));
    },

    /**
     * Sends one message of each built-in content type both SDKs send (text, markdown, a
     * reaction and a reply to the text, a read receipt, an attachment, a remote and a multi
     * remote attachment, a transaction reference, wallet send calls, actions and an intent)
     * with this SDK's own calls; resolves with the text's id.
     */
    async sendEveryType(id) {
      const c = await conversation(id);
      const textId = await c.sendText('every type');
      const me = client.inboxId;
      await c.sendMarkdown('*every* type');
      await c.sendReaction({ reference: textId, referenceInboxId: me, action: 1, content: '🙂', schema: 1 });
      await c.sendReply({ reference: textId, referenceInboxId: me, content: await sdk.replyContent('a reply') });
      await c.sendReadReceipt();
      await c.sendAttachment({ filename: 'a.txt', mimeType: 'text/plain', content: new TextEncoder().encode('inline file') });
      const remote = {
        url: 'https://example.com/file', contentDigest: 'cd'.repeat(32), secret: new Uint8Array(32).fill(7),
        salt: new Uint8Array(32).fill(8), nonce: new Uint8Array(12).fill(9), scheme: 'https://', contentLength: 99, filename: 'f.bin',
      };
      await c.sendRemoteAttachment(remote);
      await c.sendMultiRemoteAttachment({ attachments: [remote, { ...remote, url: 'https://example.com/two', filename: 'g.bin' }] });
      const from = `0x${'1'.repeat(40)}`;
      const to = `0x${'2'.repeat(40)}`;
      await c.sendTransactionReference({
        namespace: 'eip155', networkId: '8453', reference: `0x${'ab'.repeat(32)}`,
        metadata: { transactionType: 'transfer', currency: 'USDC', amount: 1.5, decimals: 6, fromAddress: from, toAddress: to },
      });
      await c.sendWalletSendCalls({
        version: '1.0', chainId: '0x2105', from,
        calls: [{ to, value: '0x1', metadata: { description: 'pay 1 wei', transactionType: 'transfer' } }],
      });
      const later = 1_900_000_000_000_000_000n; // whole milliseconds: the wire keeps no more
      await c.sendActions({
        id: 'menu', description: 'Lunch?', expiresAtNs: later,
        actions: [{ id: 'y', label: 'Yes', style: 0 }, { id: 'n', label: 'No', imageUrl: 'https://example.com/n.png', expiresAtNs: later }],
      });
      await c.sendIntent({ id: 'menu', actionId: 'y', metadata: { note: 'hungry', count: 2, ok: true } });
      return textId;
    },

    /**
     * A conversation's listing after syncing it, each message as this SDK decodes it, as plain
     * data: bytes as arrays, a reply's contentType() resolved, its inReplyTo as an id.
     */
    async decoded(id) {
      const c = await conversation(id);
      await syncUnlessRemoved(c);
      const plain = async (v) => {
        if (v instanceof Uint8Array) return Array.from(v);
        if (typeof v === 'function') return v();
        if (v instanceof Date || v === null || typeof v !== 'object') return v;
        if (Array.isArray(v)) return Promise.all(v.map(plain));
        const out = {};
        for (const [k, x] of Object.entries(v)) out[k] = k === 'inReplyTo' ? x?.id ?? null : await plain(x);
        return out;
      };
      return Promise.all((await c.messages()).map(async (m) => ({
        id: m.id, senderInboxId: m.senderInboxId, kind: m.kind, deliveryStatus: m.deliveryStatus, contentType: m.contentType,
        fallback: m.fallback, numReplies: m.numReplies, reactions: m.reactions.map((r) => r.id), content: await plain(m.content),
      })));
    },

    /**
     * What this SDK returns about a conversation and inboxes, as plain data (bytes as hex),
     * for comparing shapes and enum values: metadata, members, consent, permissions,
     * disappearing settings, and the inbox states of inboxIds.
     */
    async objects(id, inboxIds) {
      const c = await conversation(id);
      await c.sync();
      const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
      const members = (await c.members())
        .map((m) => ({ ...m, installationIds: [...m.installationIds].sort() }))
        .sort((x, y) => x.inboxId.localeCompare(y.inboxId));
      const states = (await client.preferences.fetchInboxStates(inboxIds)).map((st) => ({
        ...st, installations: st.installations.map((i) => ({ ...i, bytes: hex(i.bytes) })).sort((x, y) => x.id.localeCompare(y.id)),
      }));
      return {
        metadata: c.metadata, members, states, consentState: await c.consentState(), permissions: await c.permissions(),
        disappearing: await c.messageDisappearingSettings(), isActive: await c.isActive(), topic: c.topic,
      };
    },

    /** signWithInstallationKey, as an array of bytes. */
    sign: async (text) => Array.from(await client.signWithInstallationKey(text)),
    /** verifySignedWithPublicKey of a signature and an installation id (hex). */
    verify: (text, signature, installationId) => client.verifySignedWithPublicKey(
      text, Uint8Array.from(signature), Uint8Array.from(installationId.match(/../g), (b) => parseInt(b, 16))),
    /** fetchLatestInboxUpdatesCount as a plain object. */
    updateCounts: async (inboxIds) => Object.fromEntries(await client.fetchLatestInboxUpdatesCount(inboxIds)),

    /** Starts (once) streaming every conversation's messages into a list that streamed() reads. */
    async stream() {
      if (stream) return;
      stream = await client.conversations.streamAllMessages();
      (async () => {
        for await (const m of stream) streamed.push(normalize(m));
      })().catch((err) => console.error('stream ended:', err));
    },
    streamed: (id) => streamed.filter((m) => m.conversationId === id && appTypes.has(m.type)),

    addMembers: async (id, inboxIds) => (await conversation(id)).addMembers(inboxIds),
    async addMembersByAddress(id, addresses) {
      const identifiers = addresses.map((identifier) => ({ identifier, identifierKind: sdk.IdentifierKind.Ethereum }));
      return (await conversation(id)).addMembersByIdentifiers(identifiers);
    },
    removeMembers: async (id, inboxIds) => (await conversation(id)).removeMembers(inboxIds),
    updateName: async (id, v) => (await conversation(id)).updateName(v),
    updateDescription: async (id, v) => (await conversation(id)).updateDescription(v),
    updateImageUrl: async (id, v) => (await conversation(id)).updateImageUrl(v),
    addAdmin: async (id, inboxId) => (await conversation(id)).addAdmin(inboxId),
    updatePermission: async (id, type, policy, field) => (await conversation(id)).updatePermission(type, policy, field),

    /** Runs a call and returns its error's message, or undefined when it succeeds. */
    async failure(method, ...args) {
      try {
        await this[method](...args);
        return undefined;
      } catch (err) {
        return `${err?.code ?? ''} ${err?.message ?? err}`.trim();
      }
    },
  };
}
