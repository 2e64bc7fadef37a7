// Group and Dm: a conversation of a client, addressed in the module by its id. Getters show
// the metadata as of the last time the conversation was described (on listing, creation or
// sync()); methods ask the module.
import { clientCall, clientStream } from './client.js';
import { checkIdentifiers, checkInboxIds, unsupportedMethods } from './check.js';
import { ConversationType, SortDirection } from './enums.js';

/** What Group and Dm share. */
export class Conversation {
  #client;
  #info;

  /** Made by client.conversations; not by apps. */
  constructor(client, info) {
    this.#client = client;
    this.#info = info;
  }

  /** The conversation's id (hex of its MLS group id). */
  get id() { return this.#info.id; }
  get createdAtNs() { return this.#info.createdAtNs; }
  get createdAt() { return nsToDate(this.#info.createdAtNs); }
  /** The inbox that added this installation to the conversation. */
  get addedByInboxId() { return this.#info.addedByInboxId; }
  /** Who created it and its ConversationType (Group or Dm). */
  get metadata() {
    return { creatorInboxId: this.#info.creatorInboxId, conversationType: this.#info.conversationType };
  }
  /** The network topic of its messages (what a push server subscribes to). */
  get topic() { return `/xmtp/mls/1/g-${this.#info.id}/proto`; }

  /** The last description of the conversation, for subclasses. @internal */
  get info() { return this.#info; }
  /** The client it belongs to, for subclasses. @internal */
  get client() { return this.#client; }

  /** Calls a group method of the module with this conversation's id. @internal */
  call(method, ...args) {
    return clientCall(this.#client, `group.${method}`, [this.#info.id, ...args]);
  }

  /** Calls a method that resolves with the conversation's new description. @internal */
  async update(method, ...args) {
    this.#info = await this.call(method, ...args);
  }

  /** Whether this installation is still a member. */
  async isActive() {
    this.#info = await this.call('describe');
    return this.#info.isActive;
  }

  /** Publishes what is pending, then reads and processes new messages and commits. */
  async sync() {
    this.#info = await this.call('sync');
  }

  /** Publishes the messages stored unpublished (optimistic sends, or sends the node missed). */
  async publishMessages() { await this.call('publishMessages'); }

  /** Publishes a Failed message again under its id (sync() leaves Failed ones); resolves once it is Published. */
  async retryMessage(messageId) { await this.call('retryMessage', messageId); }

  /** Sends an EncodedContent; resolves with the message id. */
  send(encodedContent, opts) { return this.call('send', encodedContent, opts); }
  /** Sends a text message; resolves with the message id. */
  sendText(text, opts) { return this.call('sendText', text, opts); }
  /** Sends a markdown message; resolves with the message id. */
  sendMarkdown(markdown, opts) { return this.call('sendMarkdown', markdown, opts); }
  /** Tells the members this user read the conversation; resolves with the message id. */
  sendReadReceipt(opts) { return this.call('sendReadReceipt', opts); }
  /** Reacts to a message; resolves with the reaction's message id. */
  sendReaction(reaction, opts) { return this.call('sendReaction', reaction, opts); }
  /** Replies to a message (content: an EncodedContent or a text); resolves with its id. */
  sendReply(reply, opts) { return this.call('sendReply', reply, opts); }
  /** Sends a file inline: {filename?, mimeType, content}; resolves with the message id. */
  sendAttachment(attachment, opts) { return this.call('sendAttachment', attachment, opts); }
  /** Sends a link to an encrypted file (see encryptAttachment); resolves with the message id. */
  sendRemoteAttachment(remoteAttachment, opts) { return this.call('sendRemoteAttachment', remoteAttachment, opts); }
  /** Sends links to several encrypted files: {attachments}; resolves with the message id. */
  sendMultiRemoteAttachment(multiRemoteAttachment, opts) { return this.call('sendMultiRemoteAttachment', multiRemoteAttachment, opts); }
  /** Records an on-chain transaction: {namespace?, networkId, reference, metadata?}; resolves with the message id. */
  sendTransactionReference(transactionReference, opts) { return this.call('sendTransactionReference', transactionReference, opts); }
  /** Asks the readers' wallets to make calls (EIP-5792): {version, chainId, from, calls, capabilities?}. */
  sendWalletSendCalls(walletSendCalls, opts) { return this.call('sendWalletSendCalls', walletSendCalls, opts); }
  /** Offers buttons: {id, description, actions: [{id, label, imageUrl?, style?, expiresAtNs?}], expiresAtNs?}. */
  sendActions(actions, opts) { return this.call('sendActions', actions, opts); }
  /** Answers an Actions message: {id, actionId, metadata?}. */
  sendIntent(intent, opts) { return this.call('sendIntent', intent, opts); }

  /**
   * The stored messages, decoded, as browser-sdk 7.1 lists them: reactions and read receipts
   * are not listed on their own; each message carries its reactions and reply count, and a
   * reply the message it answers (inReplyTo).
   */
  async messages(options) {
    return (await this.call('messages', options)).map((m) => toMessage(this.#client, m));
  }

  /** How many stored messages match options (reactions and read receipts count); a bigint. */
  countMessages(options) { return this.call('countMessages', options); }

  /** The newest message, or undefined. */
  async lastMessage() {
    return (await this.messages({ limit: 1, direction: SortDirection.Descending }))[0];
  }

  /** This conversation's new messages as they arrive. options: {onValue, onError, onEnd}. */
  stream(options) {
    return clientStream(this.#client, 'group.stream', [this.#info.id], (m) => toMessage(this.#client, m), options);
  }

  /** The member inboxes, their installations and permission levels. */
  members() { return this.call('members'); }
  /** {fromNs, inNs} when messages disappear, else undefined. */
  messageDisappearingSettings() { return this.call('messageDisappearingSettings'); }
  async isMessageDisappearingEnabled() { return (await this.messageDisappearingSettings()) !== undefined; }
  /** Messages sent from fromNs on disappear inNs after they were sent (a commit). */
  updateMessageDisappearingSettings(fromNs, inNs) { return this.call('updateMessageDisappearingSettings', { fromNs, inNs }); }
  removeMessageDisappearingSettings() { return this.call('removeMessageDisappearingSettings'); }

  /** Whether the user wants this conversation (ConsentState). */
  consentState() { return this.call('consentState'); }
  updateConsentState(state) { return this.call('updateConsentState', state); }

  /** The sender-HMAC keys of this conversation, by its id (for push servers). */
  async hmacKeys() {
    const all = await clientCall(this.#client, 'conversations.hmacKeys', []);
    return new Map(Object.entries(all).filter(([id]) => id === this.id));
  }
  /** The newest read receipt of each inbox: Map of inbox id to nanoseconds. */
  async lastReadTimes() { return new Map(Object.entries(await this.call('lastReadTimes'))); }
  /** {epoch, ...}: goxmtp keeps no commit log, so the logs are empty and no fork is reported. */
  debugInfo() { return this.call('debugInfo'); }
  /** The libxmtp version this conversation waits for: goxmtp never pauses one, so undefined. */
  async pausedForVersion() { return undefined; }
}

export class Group extends Conversation {
  get name() { return this.info.name; }
  get description() { return this.info.description; }
  get imageUrl() { return this.info.imageUrl; }
  get appData() { return this.info.appData ?? ''; }
  get admins() { return this.info.admins ?? []; }
  get superAdmins() { return this.info.superAdmins ?? []; }

  /** The admins' inbox ids, as stored now (refreshes the getters). */
  async listAdmins() {
    await this.update('describe');
    return this.admins;
  }
  async listSuperAdmins() {
    await this.update('describe');
    return this.superAdmins;
  }
  async isAdmin(inboxId) { return (await this.listAdmins()).includes(inboxId); }
  async isSuperAdmin(inboxId) { return (await this.listSuperAdmins()).includes(inboxId); }

  /** Metadata changes are commits: each resolves once the group has merged it. */
  updateName(name) { return this.update('updateName', name); }
  updateDescription(description) { return this.update('updateDescription', description); }
  updateImageUrl(imageUrl) { return this.update('updateImageUrl', imageUrl); }
  updateAppData(appData) { return this.update('updateAppData', appData); }
  addAdmin(inboxId) { return this.update('addAdmin', inboxId); }
  removeAdmin(inboxId) { return this.update('removeAdmin', inboxId); }
  addSuperAdmin(inboxId) { return this.update('addSuperAdmin', inboxId); }
  removeSuperAdmin(inboxId) { return this.update('removeSuperAdmin', inboxId); }

  /** The group's policies: {policyType: GroupPermissionsOptions, policySet}. */
  permissions() { return this.call('permissions'); }
  /** Changes one policy (super admins only); metadataField names the attribute for UpdateMetadata. */
  updatePermission(type, policy, metadataField) { return this.call('updatePermission', type, policy, metadataField); }

  /** Asks the group's admins to remove this inbox (XIP-75); it stays a member until they do. */
  requestRemoval() { return this.call('requestRemoval'); }
  /** Whether this inbox asked to leave and was not removed yet. */
  isPendingRemoval() { return this.call('isPendingRemoval'); }

  /** Adds inboxes with all their installations, in one commit. */
  addMembers(inboxIds) { return this.call('addMembers', checkInboxIds(inboxIds)); }
  removeMembers(inboxIds) { return this.call('removeMembers', checkInboxIds(inboxIds)); }
  addMembersByIdentifiers(identifiers) { return this.call('addMembersByIdentifiers', checkIdentifiers(identifiers)); }
  removeMembersByIdentifiers(identifiers) { return this.call('removeMembersByIdentifiers', checkIdentifiers(identifiers)); }
}

export class Dm extends Conversation {
  /** The other inbox of the DM. */
  async peerInboxId() { return this.info.peerInboxId; }
  /** The other DMs with the same inbox (made by both sides at once, before either saw the other's). */
  async duplicateDms() {
    const dms = await clientCall(this.client, 'conversations.listDms', [{ includeDuplicateDms: true }]);
    return dms.filter((d) => d.peerInboxId === this.info.peerInboxId && d.id !== this.id).map((d) => new Dm(this.client, d));
  }
}

// goxmtp's streams process what they receive themselves: processStreamedMessage rejects with
// code unsupported.
unsupportedMethods(Conversation, ['processStreamedMessage']);

/** The Group or Dm object of a description. */
export function conversationOf(client, info) {
  return info.conversationType === ConversationType.Dm ? new Dm(client, info) : new Group(client, info);
}

/**
 * A message of the module as browser-sdk 7.1's DecodedMessage: its dates, its reactions, a
 * reply as EnrichedReply, and a content type goxmtp does not decode decoded by the app's
 * codecs (its EncodedContent stays reachable as the non-enumerable encodedContent).
 */
export function toMessage(client, m) {
  m.sentAt = nsToDate(m.sentAtNs);
  if (m.expiresAtNs !== undefined) m.expiresAt = nsToDate(m.expiresAtNs);
  m.reactions = m.reactions.map((r) => toMessage(client, r));
  if (m.encodedContent) {
    Object.defineProperty(m, 'encodedContent', { value: m.encodedContent, enumerable: false });
    m.content = client.codecs.decode(m.contentType, m.encodedContent);
  }
  if (m.contentType.authorityId === 'xmtp.org' && m.contentType.typeId === 'reply' && m.content) {
    m.content = enrichedReply(client, m.content);
  }
  return m;
}

/** browser-sdk 7.1's EnrichedReply {referenceId, content, contentType(), inReplyTo}. */
function enrichedReply(client, { referenceId, content, contentType, encoded, inReplyTo }) {
  return {
    referenceId,
    // An answer of a type goxmtp does not decode stays an EncodedContent without a codec.
    content: encoded ? (client.codecs.decode(contentType, content) ?? content) : content,
    contentType: async () => contentType,
    inReplyTo: inReplyTo ? toMessage(client, inReplyTo) : null,
  };
}

function nsToDate(ns) {
  return new Date(Number(ns / 1_000_000n));
}
