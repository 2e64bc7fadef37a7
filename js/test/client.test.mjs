// The npm package as an app uses it, in headless Chromium against a real xmtpnode process:
// Client.create registers a wallet, a reload loads the same installation without signing,
// two browser profiles see each other's inboxes, every failure is an Error with a stable
// code (TypeError for bad arguments), close() is idempotent, and one tab owns a database.
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

/** A new private key, as a 0x-hex string. */
function newKey() {
  return `0x${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex')}`;
}

/** Opens the client page in a new browser profile (its own storage); query selects the mode. */
async function openProfile(query = '') {
  const context = await browser.newContext();
  const page = await openPage(context, `${site.url}/client.html${query}`);
  await page.waitForFunction(() => window.pageReady);
  return { context, page };
}

/**
 * Opens a new profile and creates a client there for a new wallet; resolves with the profile,
 * the wallet's key and the client's inbox id. The profile is closed again when the client
 * cannot be created.
 */
async function openClient(options) {
  const profile = await openProfile();
  const key = newKey();
  const { value, error } = await create(profile.page, key, options);
  if (error) {
    await profile.context.close();
    assert.ifError(error);
  }
  return { ...profile, key, inboxId: value.inboxId };
}

/** Closes the profiles. */
function closeAll(...profiles) {
  return Promise.all(profiles.map((p) => p.context.close()));
}

/** Client.create in page, returning what the client shows and how often the wallet signed. */
function create(page, key, options = {}) {
  return page.evaluate(async ({ key, options, apiUrl }) => {
    const signer = signerOf(key);
    const res = await outcome(async () => {
      window.client = await goxmtp.Client.create(signer, { env: 'local', apiUrl, ...options });
      return {
        inboxId: client.inboxId,
        installationId: client.installationId,
        installationIdBytes: Array.from(client.installationIdBytes),
        isRegistered: await client.isRegistered(),
      };
    });
    return { ...res, signatures: signer.signatures };
  }, { key, options, apiUrl: node.url });
}

test('Client.create registers a new wallet in a Web Worker; a reload loads it, its conversations and messages without signing; IndexedDB holds nothing readable', { timeout: 120_000 }, async () => {
  const { context, page } = await openProfile();
  try {
    const key = newKey();
    const first = await create(page, key);
    assert.ifError(first.error);
    assert.match(first.value.inboxId, /^[0-9a-f]{64}$/);
    assert.match(first.value.installationId, /^[0-9a-f]{64}$/);
    assert.equal(Buffer.from(first.value.installationIdBytes).toString('hex'), first.value.installationId);
    assert.equal(first.value.isRegistered, true);
    assert.ok(first.signatures >= 1, 'the wallet signed the registration');

    const state = await page.evaluate(() => client.preferences.inboxState());
    assert.equal(state.inboxId, first.value.inboxId);
    assert.deepEqual(state.installations.map((i) => i.id), [first.value.installationId]);
    assert.equal(state.accountIdentifiers.length, 1);
    assert.equal(state.recoveryIdentifier.identifierKind, 0);

    const groupId = await page.evaluate(async () => {
      const g = await client.conversations.createGroup([], { groupName: 'Secret plans' });
      await g.sendText('attack at dawn');
      return g.id;
    });

    // What a copy of the origin's storage shows: every record of every goxmtp database, raw.
    const { names, raw } = await page.evaluate(async () => {
      const dump = [];
      const names = (await indexedDB.databases()).map((d) => d.name);
      const text = (v) => (v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? new TextDecoder('latin1').decode(v) : JSON.stringify(v));
      for (const { name } of await indexedDB.databases()) {
        const db = await new Promise((ok, fail) => Object.assign(indexedDB.open(name), { onsuccess: (e) => ok(e.target.result), onerror: fail }));
        for (const store of db.objectStoreNames) {
          const tx = db.transaction(store);
          const [keys, values] = await Promise.all(['getAllKeys', 'getAll'].map((op) => new Promise((ok) => {
            tx.objectStore(store)[op]().onsuccess = (e) => ok(e.target.result);
          })));
          dump.push(...keys.map(text), ...values.map(text));
        }
        db.close();
      }
      return { names, raw: dump.join('\n') };
    });
    assert.ok(names.some((n) => /^goxmtp-local-[0-9a-f]{32}$/.test(n)), 'the database is named after the env and a digest of the inbox');
    assert.ok(!names.some((n) => n.includes(first.value.inboxId)), 'no database name shows the inbox id');
    assert.ok(raw.length > 1000, 'the dump holds the records');
    const secrets = {
      'the message': 'attack at dawn', 'the group name': 'Secret plans', 'the group id': groupId,
      'the inbox id': first.value.inboxId, 'the installation id': first.value.installationId,
      'the group id bytes': Buffer.from(groupId, 'hex').toString('latin1'),
      'the installation key bytes': Buffer.from(first.value.installationId, 'hex').toString('latin1'),
    };
    for (const [what, secret] of Object.entries(secrets)) {
      assert.ok(!raw.includes(secret), `${what} is not readable in IndexedDB`);
    }

    await page.reload();
    await page.waitForFunction(() => window.pageReady);
    const second = await create(page, key);
    assert.ifError(second.error);
    assert.equal(second.value.installationId, first.value.installationId, 'same installation after a reload');
    assert.equal(second.value.inboxId, first.value.inboxId);
    assert.equal(second.signatures, 0, 'no new registration');
    const restored = await page.evaluate(async () => {
      const [g] = await client.conversations.list();
      const msgs = await g.messages({ kind: goxmtp.GroupMessageKind.Application });
      return { id: g.id, name: g.name, texts: msgs.map((m) => m.content) };
    });
    assert.deepEqual(restored, { id: groupId, name: 'Secret plans', texts: ['attack at dawn'] });

    const built = await page.evaluate(async (apiUrl) => {
      const identifier = client.accountIdentifier;
      await client.close();
      const c = await goxmtp.Client.build(identifier, { env: 'local', apiUrl });
      const other = { identifier: '0x00000000000000000000000000000000000000aa', identifierKind: goxmtp.IdentifierKind.Ethereum };
      const refused = (await outcome(() => goxmtp.Client.build(other, { env: 'local', apiUrl }))).error;
      return { installationId: c.installationId, signer: c.signer, refused: refused?.code };
    }, node.url);
    assert.deepEqual(built, { installationId: first.value.installationId, signer: undefined, refused: 'client.not_registered' });
  } finally {
    await context.close();
  }
});

test('two profiles: canMessage and fetchInboxIdByIdentifier see each other', { timeout: 120_000 }, async () => {
  const a = await openProfile();
  const b = await openProfile('?worker=false');
  try {
    // b's wallet is the package's own local wallet, its key kept by the page.
    const key = newKey();
    const [ca, cb] = await Promise.all([
      create(a.page, newKey()),
      b.page.evaluate(async ({ key, apiUrl }) => {
        const wallet = await goxmtp.createLocalWallet(key);
        window.client = await goxmtp.Client.create(wallet.signer, { env: 'local', apiUrl, dbPath: null });
        return { value: { inboxId: client.inboxId, address: wallet.address, key: wallet.privateKey } };
      }, { key, apiUrl: node.url }),
    ]);
    assert.ifError(ca.error);
    assert.equal(cb.value.key, key);
    const bAddress = await b.page.evaluate(() => client.accountIdentifier.identifier);
    assert.equal(bAddress, cb.value.address);
    const stranger = '0x000000000000000000000000000000000000dead';
    const seen = await a.page.evaluate(async ({ bAddress, stranger, apiUrl }) => {
      const ids = [bAddress, stranger].map((identifier) => ({ identifier, identifierKind: goxmtp.IdentifierKind.Ethereum }));
      const can = await client.canMessage(ids);
      return {
        can: Object.fromEntries(can),
        isMap: can instanceof Map,
        inbox: await client.fetchInboxIdByIdentifier(ids[0]),
        none: await client.fetchInboxIdByIdentifier(ids[1]),
        static: Object.fromEntries(await goxmtp.Client.canMessage(ids, { env: 'local', apiUrl })),
      };
    }, { bAddress, stranger, apiUrl: node.url });
    assert.deepEqual(seen.can, { [bAddress]: true, [stranger]: false });
    assert.deepEqual(seen.static, seen.can, 'Client.canMessage answers without a client');
    assert.equal(seen.isMap, true);
    assert.equal(seen.inbox, cb.value.inboxId);
    assert.equal(seen.none, undefined);
  } finally {
    await closeAll(a, b);
  }
});

test('failures are Errors with stable codes; bad arguments are TypeErrors', { timeout: 120_000 }, async () => {
  const dbKey = Array.from(crypto.getRandomValues(new Uint8Array(32)));
  const { context, page, key } = await openClient({ dbEncryptionKey: new Uint8Array(dbKey) });
  try {
    const errors = await page.evaluate(async ({ key, otherKey, apiUrl, dbKey }) => {
      const bad = (id) => ({ identifier: id, identifierKind: goxmtp.IdentifierKind.Ethereum });
      const wrongKey = new Uint8Array(dbKey).map((b) => b ^ 1);
      const run = async (fn) => (await outcome(fn)).error;
      return {
        noSigner: await run(() => goxmtp.Client.create(undefined, { env: 'local' })),
        badEnv: await run(() => goxmtp.Client.create(signerOf(key), { env: 'mars' })),
        scw: await run(() => goxmtp.Client.create({ ...signerOf(key), type: 'SCW' }, { env: 'local', apiUrl })),
        shortKey: await run(() => goxmtp.Client.create(signerOf(key), { env: 'local', apiUrl, dbPath: 'short-key', dbEncryptionKey: new Uint8Array(5) })),
        notArray: await run(() => client.canMessage('0x1')),
        badAddress: await run(() => client.canMessage([bad('0x1234')])),
        badInstallations: await run(() => client.revokeInstallations(['00'])),
        dmWithSelf: await run(() => client.conversations.createDm(client.inboxId)),
        unknownInbox: await run(() => client.conversations.createGroup(['ab'.repeat(32)])),
        badGroupId: await run(() => client.conversations.getConversationById('not hex')),
        noSuchGroup: (await outcome(() => client.conversations.getConversationById('ab'.repeat(16)))).value === undefined ? undefined : 'found',
        autoRegister: await run(() => goxmtp.Client.create(signerOf(key), { env: 'local', apiUrl, disableAutoRegister: true })),
        bigintText: await run(async () => (await client.conversations.createGroup([])).sendText(10n)),
        bigintState: await run(async () => (await client.conversations.createGroup([])).updateConsentState(1n)),
        locked: await run(() => goxmtp.Client.create(signerOf(key), { env: 'local', apiUrl })),
        unreachable: await run(() => goxmtp.Client.create(signerOf(key), { env: 'local', apiUrl: 'http://127.0.0.1:9', dbPath: null })),
        refused: await run(async () => {
          const s = signerOf(otherKey);
          s.signMessage = () => Promise.reject(new Error('user rejected'));
          return goxmtp.Client.create(s, { env: 'local', apiUrl, dbPath: null });
        }),
        wrong: await (async () => {
          await client.close();
          return run(() => goxmtp.Client.create(signerOf(key), { env: 'local', apiUrl, dbEncryptionKey: wrongKey }));
        })(),
      };
    }, { key, otherKey: newKey(), apiUrl: node.url, dbKey });
    const expect = {
      noSigner: ['TypeError', 'bridge.bad_argument'],
      badEnv: ['TypeError', 'bridge.bad_argument'],
      scw: ['Error', 'signer.unsupported'],
      shortKey: ['TypeError', 'bridge.bad_argument'],
      notArray: ['TypeError', 'bridge.bad_argument'],
      badAddress: ['TypeError', 'bridge.bad_argument'],
      badInstallations: ['TypeError', 'bridge.bad_argument'],
      dmWithSelf: ['Error', 'group.not_dm'],
      unknownInbox: ['Error', 'identity.inbox_not_found'],
      badGroupId: ['TypeError', 'bridge.bad_argument'],
      autoRegister: ['TypeError', 'bridge.bad_argument'],
      bigintText: ['TypeError', 'bridge.bad_argument'],
      bigintState: ['TypeError', 'bridge.bad_argument'],
      locked: ['Error', 'store.locked'],
      unreachable: ['Error', 'api.unavailable'],
      refused: ['Error', 'signer.failed'],
      wrong: ['Error', 'store.wrong_key'],
    };
    assert.equal(errors.noSuchGroup, undefined, 'an unknown conversation id is undefined, as in browser-sdk');
    for (const [name, [errName, code]] of Object.entries(expect)) {
      assert.ok(errors[name], `${name} failed`);
      assert.deepEqual([errors[name].name, errors[name].code], [errName, code], `${name}: ${errors[name].message}`);
      assert.ok(errors[name].message.length > 0);
    }
  } finally {
    await context.close();
  }
});

test('close() is idempotent, ends calls with client.closed and frees the database', { timeout: 120_000 }, async () => {
  const { context, page, key } = await openClient();
  try {
    const after = await page.evaluate(async () => {
      const first = client.close();
      const second = client.close();
      await first;
      return {
        same: first === second,
        ready: client.isReady,
        call: (await outcome(() => client.isRegistered())).error,
      };
    });
    assert.equal(after.same, true);
    assert.equal(after.ready, false);
    assert.deepEqual([after.call.name, after.call.code], ['Error', 'client.closed']);
    const again = await create(page, key);
    assert.ifError(again.error);
    assert.equal(again.signatures, 0, 'the closed client released its database to the next one');
  } finally {
    await context.close();
  }
});

test('two profiles chat in a group and a DM: messages both ways, reactions, replies, membership', { timeout: 180_000 }, async () => {
  const [a, b] = await Promise.all([openClient(), openClient()]);
  try {
    const alice = a.inboxId;
    const bob = b.inboxId;

    const made = await a.page.evaluate(async (bob) => {
      window.group = await client.conversations.createGroup([bob], { groupName: 'Plans', groupDescription: 'for the weekend' });
      const id = await group.sendText('hello from a');
      const members = await group.members();
      return { id: group.id, name: group.name, isAdmin: await group.isSuperAdmin(client.inboxId), sent: id, members: members.map((m) => m.inboxId).sort(), addresses: members.map((m) => m.accountIdentifiers.length) };
    }, bob);
    assert.equal(made.name, 'Plans');
    assert.equal(made.isAdmin, true);
    assert.deepEqual(made.members, [alice, bob].sort());
    assert.deepEqual(made.addresses, [1, 1]);

    const seen = await b.page.evaluate(async (id) => {
      await client.conversations.sync();
      const list = await client.conversations.listGroups();
      window.group = await client.conversations.getConversationById(id);
      await group.sync();
      const texts = (await group.messages({ kind: goxmtp.GroupMessageKind.Application })).map((m) => ({
        content: m.content, sender: m.senderInboxId, status: m.deliveryStatus, at: m.sentAt instanceof Date, type: m.contentType.typeId,
      }));
      const last = (await group.messages({ kind: goxmtp.GroupMessageKind.Application })).at(-1);
      await group.sendReaction({ reference: last.id, referenceInboxId: last.senderInboxId, action: goxmtp.ReactionAction.Added, content: '👍', schema: goxmtp.ReactionSchema.Unicode });
      await group.sendReply({ reference: last.id, referenceInboxId: last.senderInboxId, content: await goxmtp.encodeText('hello back') });
      return { listed: list.map((g) => g.id), name: group.name, description: group.description, texts };
    }, made.id);
    assert.deepEqual(seen.listed, [made.id]);
    assert.equal(seen.name, 'Plans');
    assert.equal(seen.description, 'for the weekend');
    assert.deepEqual(seen.texts, [{ content: 'hello from a', sender: alice, status: 1, at: true, type: 'text' }]);

    const answers = await a.page.evaluate(async () => {
      await group.sync();
      const msgs = await group.messages({ kind: goxmtp.GroupMessageKind.Application });
      return msgs.map((m) => ({ type: m.contentType.typeId, content: m.content, reactions: m.reactions.map((r) => r.content) }));
    });
    // As browser-sdk 7.1 lists them: the reaction rides on the message it reacts to.
    assert.equal(answers.length, 2);
    assert.equal(answers[0].reactions.length, 1);
    assert.equal(answers[0].reactions[0].content, '👍');
    assert.equal(answers[0].reactions[0].action, 1);
    assert.equal(answers[0].reactions[0].reference, made.sent);
    assert.equal(answers[1].type, 'reply');
    assert.equal(answers[1].content.content, 'hello back');

    // A content type goxmtp does not know, sent as EncodedContent and read with the app's
    // codec: a 3.x codec (decode(content)) on one side, a 2.x one (decode(content, registry)).
    const custom = await a.page.evaluate(async () => {
      const type = { authorityId: 'example.com', typeId: 'number', versionMajor: 1, versionMinor: 0 };
      await group.send({ type, parameters: {}, fallback: 'a number', content: new TextEncoder().encode('42') });
      return (await group.lastMessage()).encodedContent.type.typeId;
    });
    assert.equal(custom, 'number');
    const decoded = await b.page.evaluate(async ({ key, apiUrl, id }) => {
      const contentType = { authorityId: 'example.com', typeId: 'number', versionMajor: 1, versionMinor: 0 };
      const codec = {
        contentType,
        decode: (ec, registry) => (registry.codecFor(contentType) === codec ? Number(new TextDecoder().decode(ec.content)) : NaN),
      };
      const identifier = client.accountIdentifier;
      await client.close();
      window.client = await goxmtp.Client.build(identifier, { env: 'local', apiUrl, codecs: [codec] });
      window.group = await client.conversations.getConversationById(id);
      await group.sync();
      const last = await group.lastMessage();
      return { content: last.content, fallback: last.fallback };
    }, { apiUrl: node.url, id: made.id });
    assert.deepEqual(decoded, { content: 42, fallback: 'a number' });

    const optimistic = await a.page.evaluate(async () => {
      const id = await group.sendText('sent later', { optimistic: true });
      const status = async () => (await group.messages()).find((m) => m.id === id).deliveryStatus;
      const before = await status();
      await group.publishMessages();
      return { before, after: await status() };
    });
    assert.deepEqual(optimistic, { before: 0, after: 1 }, 'Unpublished, then Published');

    const dm = await a.page.evaluate(async (bob) => {
      const dm = await client.conversations.createDm(bob);
      await dm.sendText('just us');
      return { id: dm.id, peer: await dm.peerInboxId(), again: (await client.conversations.createDm(bob)).id };
    }, bob);
    assert.equal(dm.peer, bob);
    assert.equal(dm.again, dm.id, 'one DM per pair');
    const dmSeen = await b.page.evaluate(async () => {
      await client.conversations.sync();
      const [dm] = await client.conversations.listDms();
      await dm.sync();
      const msgs = await dm.messages({ kind: goxmtp.GroupMessageKind.Application });
      return { id: dm.id, peer: await dm.peerInboxId(), texts: msgs.map((m) => m.content), all: (await client.conversations.list()).length };
    });
    assert.deepEqual(dmSeen, { id: dm.id, peer: alice, texts: ['just us'], all: 2 });

    const extras = await a.page.evaluate(async ({ sent, alice }) => {
      const found = await client.conversations.getMessageById(sent);
      const missing = await client.conversations.getMessageById('ab'.repeat(32));
      const keys = await client.conversations.hmacKeys();
      await group.updateMessageDisappearingSettings(1n, 3_600_000_000_000n);
      const on = await group.messageDisappearingSettings();
      const enabled = await group.isMessageDisappearingEnabled();
      await group.removeMessageDisappearingSettings();
      await group.sendMarkdown('**bold**');
      await group.sendReadReceipt();
      const [md] = (await group.messages({ kind: goxmtp.GroupMessageKind.Application })).slice(-1);
      return {
        found: found.content, missing, keys: keys.get(group.id)?.length, epochIsBigint: typeof keys.get(group.id)?.[0].epoch,
        on, enabled, off: await group.messageDisappearingSettings(),
        md: [md.contentType.typeId, md.content], receipt: (await group.lastReadTimes()).has(client.inboxId),
        counted: typeof (await group.countMessages({ kind: goxmtp.GroupMessageKind.Application })),
      };
    }, { sent: made.sent, alice });
    assert.deepEqual(extras, {
      found: 'hello from a', missing: undefined, keys: 3, epochIsBigint: 'bigint',
      on: { fromNs: 1n, inNs: 3_600_000_000_000n }, enabled: true, off: undefined,
      md: ['markdown', '**bold**'], receipt: true, counted: 'bigint',
    });

    const consent = await b.page.evaluate(async (alice) => {
      const { GroupId, InboxId } = goxmtp.ConsentEntityType;
      const { Allowed, Denied } = goxmtp.ConsentState;
      await client.preferences.setConsentStates([
        { entityType: GroupId, entity: group.id, state: Allowed },
        { entityType: InboxId, entity: alice, state: Denied },
      ]);
      await group.requestRemoval();
      return {
        group: await client.preferences.getConsentState(GroupId, group.id),
        viaGroup: await group.consentState(),
        inbox: await client.preferences.getConsentState(InboxId, alice),
        pending: await group.isPendingRemoval(),
      };
    }, alice);
    assert.deepEqual(consent, { group: 1, viaGroup: 1, inbox: 2, pending: true });

    await a.page.evaluate((bob) => group.removeMembers([bob]), bob);
    const removed = await b.page.evaluate(async () => {
      await group.sync();
      return { active: await group.isActive(), send: (await outcome(() => group.sendText('still here?'))).error };
    });
    assert.equal(removed.active, false);
    assert.equal(removed.send.code, 'group.inactive');
  } finally {
    await closeAll(a, b);
  }
});

test('streams deliver conversations and messages as they arrive; metadata and permission commits; close ends streams', { timeout: 180_000 }, async () => {
  const [a, b] = await Promise.all([openClient(), openClient()]);
  try {
    const bob = b.inboxId;

    await b.page.evaluate(async () => {
      window.got = [];
      window.ended = false;
      window.joins = await client.conversations.streamGroups();
      window.all = await client.conversations.streamAllMessages({
        onValue: (m) => got.push(m.content),
        onEnd: () => { ended = true; },
      });
      window.dmOnly = [];
      window.dms = await client.conversations.streamAllDmMessages({ onValue: (m) => dmOnly.push(m.content) });
    });
    const groupId = await a.page.evaluate(async (bob) => {
      window.group = await client.conversations.createGroup([bob]);
      await group.updateName('Renamed');
      await group.sendText('live 1');
      return group.id;
    }, bob);

    const joined = await b.page.evaluate(async () => {
      const { value } = await joins.next();
      window.group = value;
      return { id: value.id, isGroup: value instanceof goxmtp.Group };
    });
    assert.deepEqual(joined, { id: groupId, isGroup: true });
    await b.page.waitForFunction(() => got.includes('live 1'), null, { timeout: 60_000 });
    await a.page.evaluate(async (bob) => (await client.conversations.createDm(bob)).sendText('dm live'), bob);
    await b.page.waitForFunction(() => dmOnly.includes('dm live'), null, { timeout: 60_000 });
    assert.deepEqual(await b.page.evaluate(() => dmOnly.filter((t) => typeof t === 'string')), ['dm live'], 'the DM stream skips group messages');

    const perms = await a.page.evaluate(async () => {
      const before = await group.permissions();
      await group.updatePermission(goxmtp.PermissionUpdateType.AddMember, goxmtp.PermissionPolicy.Admin);
      const after = await group.permissions();
      return { before: before.policyType, after: after.policySet.addMemberPolicy, type: after.policyType, name: group.name };
    });
    assert.deepEqual(perms, { before: 0, after: 2, type: 2, name: 'Renamed' });

    await a.page.evaluate(async () => {
      window.own = await group.stream();
    });
    const fromB = await b.page.evaluate(async () => {
      await group.sync();
      await group.sendText('to the group stream');
      await group.updateDescription('set by b');
      const denied = (await outcome(() => group.addAdmin(client.inboxId))).error;
      return { name: group.name, description: group.description, denied: denied?.code };
    });
    assert.equal(fromB.name, 'Renamed');
    assert.equal(fromB.description, 'set by b');
    assert.ok(fromB.denied, 'a member may not make itself admin');

    const seenByA = await a.page.evaluate(async () => {
      const { value } = await own.next();
      await own.return();
      await group.sync();
      return { streamed: value.content, description: group.description, done: own.isDone };
    });
    assert.deepEqual(seenByA, { streamed: 'to the group stream', description: 'set by b', done: true });

    const closed = await b.page.evaluate(async () => {
      await client.close();
      return { ended, allDone: all.isDone, next: await joins.next() };
    });
    assert.deepEqual(closed, { ended: true, allDone: true, next: { value: undefined, done: true } });
  } finally {
    await closeAll(a, b);
  }
});

test('takeOver: a second tab takes the database over, the first gets ownershiplost and store.locked', { timeout: 120_000 }, async () => {
  const { context, page, key } = await openClient();
  try {
    await page.evaluate(() => {
      window.lost = false;
      client.addEventListener('ownershiplost', () => { lost = true; });
    });
    const second = await openPage(context, `${site.url}/client.html`);
    await second.waitForFunction(() => window.pageReady);
    const started = Date.now();
    const refused = await create(second, key);
    assert.equal(refused.error?.code, 'store.locked');
    assert.ok(Date.now() - started < 1000 + 500, 'store.locked within about a second');
    const taken = await create(second, key, { takeOver: true });
    assert.ifError(taken.error);
    assert.equal(taken.signatures, 0);
    await page.waitForFunction(() => lost, null, { timeout: 10_000 });
    const after = await page.evaluate(async () => (await outcome(() => client.conversations.list())).error);
    assert.equal(after.code, 'store.locked');
  } finally {
    await context.close();
  }
});
