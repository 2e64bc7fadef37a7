// client.conversations: creating, finding, listing and syncing conversations.
import { clientCall, clientStream } from './client.js';
import { conversationOf, toMessage } from './conversation.js';
import { ConversationType } from './enums.js';
import { checkIdentifier, unsupportedMethods } from './check.js';

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
  /** A stored message of any conversation by its id, or undefined. */
  async getMessageById(id) {
    const m = await this.#call('getMessageById', id);
    return m && toMessage(this.#client, m);
  }

  /** The sender-HMAC keys of every conversation, by conversation id (for push servers). */
  async hmacKeys() {
    return new Map(Object.entries(await this.#call('hmacKeys')));
  }

  /** The DM with that inbox, or undefined. */
  getDmByInboxId(inboxId) { return this.#one('getDmByInboxId', inboxId); }
  /** The DM with the inbox of a wallet, or undefined (asks the network for its inbox). */
  fetchDmByIdentifier(identifier) {
    checkIdentifier(identifier, 'identifier');
    return this.#one('fetchDmByIdentifier', identifier);
  }

  /** The network topic of this installation's welcomes (what a push server subscribes to). */
  get topic() { return `/xmtp/mls/1/w-${this.#client.installationId}/proto`; }

  /** Creates a group with these inboxes (and this inbox's other installations). */
  createGroup(inboxIds, options) { return this.#one('createGroup', inboxIds, options); }
  createGroupWithIdentifiers(identifiers, options) { return this.#one('createGroupWithIdentifiers', identifiers, options); }
  /**
   * A group of this inbox alone, to add members to later. Unlike browser-sdk's, it is
   * created on the network at once (goxmtp has no unpublished groups), so it needs the node.
   */
  createGroupOptimistic(options) { return this.createGroup([], options); }
  /** The DM with an inbox, created when there is none. */
  createDm(inboxId, options) { return this.#one('createDm', inboxId, options); }
  createDmWithIdentifier(identifier, options) { return this.#one('createDmWithIdentifier', identifier, options); }

  /**
   * Every new message of every conversation, including conversations joined while it runs;
   * own messages are not repeated. options: callbacks {onValue, onError, onEnd} and filters
   * {conversationType, consentStates}.
   */
  streamAllMessages(options = {}) {
    const { conversationType, consentStates, ...callbacks } = options;
    return clientStream(this.#client, 'conversations.streamAllMessages', [{ conversationType, consentStates }],
      (m) => toMessage(this.#client, m), callbacks);
  }

  /** New messages of groups only. */
  streamAllGroupMessages(options = {}) {
    return this.streamAllMessages({ ...options, conversationType: ConversationType.Group });
  }

  /** New messages of DMs only. */
  streamAllDmMessages(options = {}) {
    return this.streamAllMessages({ ...options, conversationType: ConversationType.Dm });
  }

  /** Each conversation joined from now on. options: {onValue, onError, onEnd, conversationType}. */
  stream(options = {}) {
    const { conversationType, ...callbacks } = options;
    return this.#streamOf(conversationType, callbacks);
  }
  /** Each group joined from now on. */
  streamGroups(options) { return this.#streamOf(ConversationType.Group, options); }
  /** Each DM joined from now on. */
  streamDms(options) { return this.#streamOf(ConversationType.Dm, options); }

  #streamOf(type, options) {
    const map = (info) => (type === undefined || info.conversationType === type ? conversationOf(this.#client, info) : undefined);
    return clientStream(this.#client, 'conversations.stream', [], map, options);
  }
}

// goxmtp has no message deletion yet: these reject with code unsupported.
unsupportedMethods(Conversations, ['streamMessageDeletions', 'streamDeletedMessages']);
