// client.conversations: creating, finding, listing and syncing conversations.
import { clientCall } from './client.js';
import { conversationOf } from './conversation.js';

export class Conversations {
  #client;

  /** Made by the client; not by apps. */
  constructor(client) {
    this.#client = client;
  }

  #call(method, ...args) { return clientCall(this.#client, `conversations.${method}`, args); }
  async #one(method, ...args) {
    const info = await this.#call(method, ...args);
    return info && conversationOf(this.#client, info);
  }
  async #many(method, ...args) {
    return (await this.#call(method, ...args)).map((info) => conversationOf(this.#client, info));
  }

  /** Fetches new welcomes and joins their conversations. */
  async sync() { await this.#call('sync'); }
  /** Fetches welcomes, then syncs every conversation; resolves with how many synced. */
  syncAll() { return this.#call('syncAll'); }

  /** Groups and DMs, oldest first; options filter by consent, type, creation time, limit. */
  list(options) { return this.#many('list', options); }
  listGroups(options) { return this.#many('listGroups', options); }
  listDms(options) { return this.#many('listDms', options); }

  /** The conversation with that id, or undefined. */
  getConversationById(id) { return this.#one('getConversationById', id); }
  /** The DM with that inbox, or undefined. */
  getDmByInboxId(inboxId) { return this.#one('getDmByInboxId', inboxId); }

  /** Creates a group with these inboxes (and this inbox's other installations). */
  createGroup(inboxIds, options) { return this.#one('createGroup', inboxIds, options); }
  createGroupWithIdentifiers(identifiers, options) { return this.#one('createGroupWithIdentifiers', identifiers, options); }
  /** The DM with an inbox, created when there is none. */
  createDm(inboxId) { return this.#one('createDm', inboxId); }
  createDmWithIdentifier(identifier) { return this.#one('createDmWithIdentifier', identifier); }
}

