// The browser half of the peer test: one @xmtp/browser-sdk client per page, driven by run.mjs
// through window.peer. Each method returns plain data so page.evaluate can carry it back.
import { Client, IdentifierKind } from "@xmtp/browser-sdk";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hexToBytes } from "viem";

let client;
let group;
const streamed = [];

// textOf keeps the text messages of a list, whatever else (group updates) it holds.
const textOf = (msgs) => msgs.filter((m) => typeof m.content === "string").map((m) => m.content);

window.peer = {
  async create(apiUrl) {
    const account = privateKeyToAccount(generatePrivateKey());
    const signer = {
      type: "EOA",
      getIdentifier: () => ({ identifier: account.address.toLowerCase(), identifierKind: IdentifierKind.Ethereum }),
      signMessage: async (message) => hexToBytes(await account.signMessage({ message })),
    };
    client = await Client.create(signer, { env: "local", apiUrl, disableDeviceSync: true });
    return { inboxId: client.inboxId, installationId: client.installationId, address: account.address.toLowerCase() };
  },

  async createGroup(inboxIds) {
    group = await client.conversations.createGroup(inboxIds);
    return group.id;
  },

  // join syncs welcomes until the group shows up.
  async join(groupId) {
    for (let i = 0; i < 40 && !group; i++) {
      await client.conversations.sync();
      group = await client.conversations.getConversationById(groupId);
      if (!group) await new Promise((r) => setTimeout(r, 250));
    }
    if (!group) throw new Error("group " + groupId + " never arrived by welcome");
    return group.id;
  },

  async stream() {
    await group.stream({ onValue: (m) => streamed.push(m), onError: (e) => console.error("stream error", e) });
  },

  streamedTexts: () => textOf(streamed),

  send: (text) => group.sendText(text),

  async syncedTexts() {
    await group.sync();
    return textOf(await group.messages());
  },
};
window.peerReady = true;
