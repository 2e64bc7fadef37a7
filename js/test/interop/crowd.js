// A crowd of pre-registered group members for the benchmark, many clients in one page: goxmtp
// clients share the package's one worker, each with an in-memory store; libxmtp clients are
// wasm-bindings clients (what @xmtp/browser-sdk runs in its worker, one worker per client,
// which a page cannot afford by the hundred) with in-memory databases on the page's thread.
import * as goxmtp from '/js/index.js';
import initLibxmtp, { DeviceSyncMode, createClientWithBackend, generateInboxId, getInboxIdForIdentifier } from '@xmtp/wasm-bindings';
import { createBackend } from '@xmtp/browser-sdk';
import { hexToBytes } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';

const crowds = { goxmtp: [], libxmtp: [] };

const join = {
  goxmtp: async (apiUrl, account) => {
    const signer = {
      type: 'EOA',
      getIdentifier: () => ({ identifier: account.address.toLowerCase(), identifierKind: goxmtp.IdentifierKind.Ethereum }),
      signMessage: (message) => account.signMessage({ message }),
    };
    const client = await goxmtp.Client.create(signer, { env: 'local', apiUrl, dbPath: null });
    return {
      inboxId: client.inboxId,
      sees: async (id) => {
        await client.conversations.sync();
        return !!(await client.conversations.getConversationById(id));
      },
    };
  },
  libxmtp: async (apiUrl, account) => {
    await (join.libxmtpReady ??= initLibxmtp());
    const backend = await createBackend({ env: 'local', apiUrl });
    const identifier = { identifier: account.address.toLowerCase(), identifierKind: 0 };
    const inboxId = (await getInboxIdForIdentifier(backend, identifier)) ?? generateInboxId(identifier);
    const client = await createClientWithBackend(backend, inboxId, identifier, null, null, DeviceSyncMode.Disabled);
    const request = client.createInboxSignatureRequest();
    await request.addEcdsaSignature(hexToBytes(await account.signMessage({ message: await request.signatureText() })));
    await client.registerIdentity(request);
    return {
      inboxId,
      sees: async (id) => {
        await client.conversations().sync();
        try {
          return !!client.conversations().findGroupById(id);
        } catch {
          return false;
        }
      },
    };
  },
};

window.peer = {
  /** Registers count new wallets as clients of sdk; resolves with their inbox ids. */
  async register(sdk, count, apiUrl) {
    for (let i = 0; i < count; i++) crowds[sdk].push(await join[sdk](apiUrl, privateKeyToAccount(generatePrivateKey())));
    return crowds[sdk].slice(-count).map((c) => c.inboxId);
  },

  /** Resolves once every client of sdk among inboxIds has the group (each syncs its welcomes). */
  async waitForGroup(sdk, id, inboxIds, timeoutMs = 300_000) {
    const deadline = Date.now() + timeoutMs;
    const waiting = crowds[sdk].filter((c) => inboxIds.includes(c.inboxId));
    while (waiting.length > 0) {
      if (Date.now() > deadline) throw new Error(`${waiting.length} ${sdk} members never saw group ${id}`);
      for (let i = waiting.length - 1; i >= 0; i--) if (await waiting[i].sees(id)) waiting.splice(i, 1);
    }
  },
};
