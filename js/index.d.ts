/** Options of `configure`. */
export interface ModuleOptions {
  /** Where to fetch goxmtp.wasm from. Defaults to the copy shipped beside this file. */
  wasmUrl?: string | URL;
  /** Run the module in a Web Worker (default true) or on the calling thread. */
  worker?: boolean;
}

/** What `version()` reports. */
export interface VersionInfo {
  /** The goxmtp library version, e.g. "0.1.0". */
  version: string;
  /** The RFC 9420 name of the MLS ciphersuite XMTP uses. */
  ciphersuite: string;
  /** Its numeric id (3). */
  ciphersuiteId: number;
}

/** Every failure goxmtp reports is an Error (or TypeError for bad arguments) with a stable code. */
export interface GoxmtpError extends Error {
  code: string;
}

export function configure(options?: ModuleOptions): void;
export function ready(): Promise<void>;
export function version(): Promise<VersionInfo>;

/** Encoders of the built-in content types, for send() and a reply's content. */
export function encodeText(text: string): Promise<EncodedContent>;
export function encodeMarkdown(markdown: string): Promise<EncodedContent>;
export function encodeReaction(reaction: Reaction): Promise<EncodedContent>;
export function encodeReply(reply: Reply): Promise<EncodedContent>;
export function encodeReadReceipt(): Promise<EncodedContent>;
export function encodeAttachment(attachment: Attachment): Promise<EncodedContent>;
export function encodeRemoteAttachment(remoteAttachment: RemoteAttachment): Promise<EncodedContent>;
export function encodeMultiRemoteAttachment(multiRemoteAttachment: MultiRemoteAttachment): Promise<EncodedContent>;
export function encodeTransactionReference(transactionReference: TransactionReference): Promise<EncodedContent>;
export function encodeWalletSendCalls(walletSendCalls: WalletSendCalls): Promise<EncodedContent>;
export function encodeActions(actions: Actions): Promise<EncodedContent>;
export function encodeIntent(intent: Intent): Promise<EncodedContent>;

/** An attachment sealed for upload (AES-256-GCM under a key derived from secret and salt). */
export interface EncryptedAttachment {
  payload: Uint8Array;
  /** Hex SHA-256 of payload. */
  contentDigest: string;
  secret: Uint8Array;
  salt: Uint8Array;
  nonce: Uint8Array;
  contentLength: number;
  filename?: string;
}

/** Seals an attachment for upload; send a RemoteAttachment of the result and the upload's URL. */
export function encryptAttachment(attachment: Attachment): Promise<EncryptedAttachment>;
/** Checks downloaded bytes against the digest and opens them (code content.digest_mismatch, content.decrypt_failed). */
export function decryptAttachment(encryptedBytes: Uint8Array, remoteAttachment: RemoteAttachment): Promise<Attachment>;

/** An Ethereum key the app keeps itself (demos, bots, tests), and its signer. */
export interface LocalWallet {
  /** 0x-hex private key: keep it secret, it is the identity. */
  privateKey: string;
  address: string;
  signer: Signer;
}

/** A wallet of privateKey, or of a new random key. */
export function createLocalWallet(privateKey?: string): Promise<LocalWallet>;
/** browser-sdk's signer of a private key (or a new random one); the key stays on the page. */
export function createEOASigner(privateKey?: string): Signer;

/** The inbox id a wallet gets with nonce (default 1n), computed locally. */
export function generateInboxId(identifier: Identifier, nonce?: bigint): Promise<string>;
/** The metadata attribute key of a MetadataField, e.g. "group_name". */
export function metadataFieldName(field: MetadataField): Promise<string>;

/** The ids of the built-in content types, as browser-sdk 7.1's functions give them. */
export function contentTypeActions(): Promise<ContentTypeId>;
export function contentTypeAttachment(): Promise<ContentTypeId>;
export function contentTypeGroupUpdated(): Promise<ContentTypeId>;
export function contentTypeIntent(): Promise<ContentTypeId>;
export function contentTypeLeaveRequest(): Promise<ContentTypeId>;
export function contentTypeMarkdown(): Promise<ContentTypeId>;
export function contentTypeMultiRemoteAttachment(): Promise<ContentTypeId>;
export function contentTypeReaction(): Promise<ContentTypeId>;
export function contentTypeReadReceipt(): Promise<ContentTypeId>;
export function contentTypeRemoteAttachment(): Promise<ContentTypeId>;
export function contentTypeReply(): Promise<ContentTypeId>;
export function contentTypeText(): Promise<ContentTypeId>;
export function contentTypeTransactionReference(): Promise<ContentTypeId>;
export function contentTypeWalletSendCalls(): Promise<ContentTypeId>;

/** Guards of a message's content type. */
export function isActions(m: DecodedMessage): m is DecodedMessage<Actions>;
export function isAttachment(m: DecodedMessage): m is DecodedMessage<Attachment>;
export function isGroupUpdated(m: DecodedMessage): m is DecodedMessage<GroupUpdated>;
export function isIntent(m: DecodedMessage): m is DecodedMessage<Intent>;
export function isLeaveRequest(m: DecodedMessage): m is DecodedMessage<LeaveRequest>;
export function isMarkdown(m: DecodedMessage): m is DecodedMessage<string>;
export function isMultiRemoteAttachment(m: DecodedMessage): m is DecodedMessage<MultiRemoteAttachment>;
export function isReaction(m: DecodedMessage): m is DecodedMessage<Reaction>;
export function isReadReceipt(m: DecodedMessage): m is DecodedMessage<ReadReceipt>;
export function isRemoteAttachment(m: DecodedMessage): m is DecodedMessage<RemoteAttachment>;
export function isReply(m: DecodedMessage): m is DecodedMessage<EnrichedReply>;
export function isText(m: DecodedMessage): m is DecodedMessage<string>;
export function isTextReply(m: DecodedMessage): m is DecodedMessage<EnrichedReply<string>>;
export function isTransactionReference(m: DecodedMessage): m is DecodedMessage<TransactionReference>;
export function isWalletSendCalls(m: DecodedMessage): m is DecodedMessage<WalletSendCalls>;

/** A wallet or passkey, browser-sdk's shape: lowercase 0x address for Ethereum. */
export interface Identifier {
  identifier: string;
  identifierKind: IdentifierKind;
}

/** The app's wallet. Only externally owned accounts ("EOA") are supported so far. */
export interface Signer {
  type: 'EOA';
  getIdentifier(): Identifier | Promise<Identifier>;
  /** An EIP-191 (personal_sign) signature of message: 65 bytes, or 0x-hex of them. */
  signMessage(message: string): Uint8Array | string | Promise<Uint8Array | string>;
}

/** Options of Client.create, browser-sdk's names. */
export interface ClientOptions {
  /** Which network: "local" is this repo's node; "dev" (the default) and "production" are XMTP's. */
  env?: 'local' | 'dev' | 'production';
  /** Overrides the node URL the env selects (gRPC-web). */
  apiUrl?: string;
  /** Sent to the node as x-app-version. */
  appVersion?: string;
  /**
   * The IndexedDB database: undefined names it "goxmtp-<env>-<digest of the inbox id>", a string names it,
   * null keeps everything in memory (nothing persists).
   */
  dbPath?: string | null;
  /**
   * 32 bytes the database is encrypted with. Without it a random key is kept wrapped by a
   * non-extractable WebCrypto key of the origin.
   */
  dbEncryptionKey?: Uint8Array;
  /** Asks the tab that holds the database to close it, instead of failing with store.locked. */
  takeOver?: boolean;
  /**
   * Codecs of content types goxmtp does not decode itself (@xmtp/content-type-primitives
   * 2.x or 3.x shape); messages of their types arrive decoded.
   */
  codecs?: ContentCodec[];
}

/** A content codec: 3.x decode(content), or 2.x decode(content, registry). */
export interface ContentCodec {
  contentType: ContentTypeId;
  decode(content: EncodedContent, registry?: { codecFor(contentType: ContentTypeId): ContentCodec | undefined }): unknown;
}

/** One installation of an inbox, as the inbox's state lists it. */
export interface Installation {
  /** Hex of the installation's public key. */
  id: string;
  bytes: Uint8Array;
  clientTimestampNs?: bigint;
}

/** An inbox's wallets, installations and recovery identifier. */
export interface InboxState {
  inboxId: string;
  recoveryIdentifier: Identifier;
  accountIdentifiers: Identifier[];
  installations: Installation[];
}

/** A content type id, e.g. {authorityId: "xmtp.org", typeId: "text", versionMajor: 1, versionMinor: 0}. */
export interface ContentTypeId {
  authorityId: string;
  typeId: string;
  versionMajor: number;
  versionMinor: number;
}

/** A message body as codecs produce it. */
export interface EncodedContent {
  type: ContentTypeId;
  parameters?: Record<string, string>;
  fallback?: string;
  compression?: number;
  content: Uint8Array;
}

export interface SendOpts {
  /** Store the message as Unpublished and resolve at once; the next sync() publishes it. */
  optimistic?: boolean;
  /** Sending the same content again with the same key gives the same id and sends nothing. */
  idempotencyKey?: string;
}

export interface Reaction {
  /** Hex id of the message reacted to. */
  reference: string;
  referenceInboxId?: string;
  action: ReactionAction;
  content: string;
  schema: ReactionSchema;
}

/** A reply to send. */
export interface Reply {
  /** Hex id of the message answered. */
  reference: string;
  referenceInboxId?: string;
  /** The answer: an EncodedContent, or a string for text. */
  content: EncodedContent | string;
}

/** A received reply's content (browser-sdk 7.1's EnrichedReply). */
export interface EnrichedReply<T = unknown> {
  /** Hex id of the message answered. */
  referenceId: string;
  /** The answer, decoded (an EncodedContent when neither goxmtp nor a codec decodes it). */
  content: T;
  contentType(): Promise<ContentTypeId | undefined>;
  /** The message answered, when it is stored (null in streams). */
  inReplyTo: DecodedMessage | null;
}

/** A file sent inline. */
export interface Attachment {
  filename?: string;
  mimeType: string;
  content: Uint8Array;
}

/** A link to an encrypted file: secret 32 bytes, salt 32, nonce 12; contentDigest is hex SHA-256. */
export interface RemoteAttachment {
  url: string;
  contentDigest: string;
  secret: Uint8Array;
  salt: Uint8Array;
  nonce: Uint8Array;
  scheme: string;
  contentLength?: number;
  filename?: string;
}

export interface MultiRemoteAttachment {
  attachments: RemoteAttachment[];
}

/** An on-chain transaction (networkId and reference required). */
export interface TransactionReference {
  namespace?: string;
  networkId: string;
  reference: string;
  metadata?: {
    transactionType: string;
    currency: string;
    amount: number;
    decimals: number;
    fromAddress: string;
    toAddress: string;
  };
}

/** EIP-5792 wallet_sendCalls; a call's metadata, when given, has description and transactionType. */
export interface WalletSendCalls {
  version: string;
  chainId: string;
  from: string;
  calls: { to?: string; data?: string; value?: string; gas?: string; metadata?: Record<string, string> }[];
  capabilities?: Record<string, string>;
}

/** Buttons offered to the reader (1 to 10, ids unique); times in nanoseconds. */
export interface Actions {
  id: string;
  description: string;
  actions: { id: string; label: string; imageUrl?: string; style?: ActionStyle; expiresAtNs?: bigint }[];
  expiresAtNs?: bigint;
}

/** The reader's choice among an Actions message's buttons; metadata at most 10 KiB as JSON. */
export interface Intent {
  id: string;
  actionId: string;
  metadata?: Record<string, string | number | boolean | null>;
}

/** A member's request to be removed (XIP-75). */
export interface LeaveRequest {
  authenticatedNote?: Uint8Array;
}

/** Read receipts carry nothing. */
export type ReadReceipt = Record<string, never>;

/** The transcript entry of a group change, made locally from the commit. */
export interface GroupUpdated {
  initiatedByInboxId: string;
  addedInboxes: { inboxId: string }[];
  removedInboxes: { inboxId: string }[];
  leftInboxes: { inboxId: string }[];
  addedAdminInboxes: { inboxId: string }[];
  removedAdminInboxes: { inboxId: string }[];
  addedSuperAdminInboxes: { inboxId: string }[];
  removedSuperAdminInboxes: { inboxId: string }[];
  metadataFieldChanges: { fieldName: string; oldValue?: string; newValue?: string }[];
}

/**
 * A stored message, browser-sdk 7.1's shape. content is decoded for text and markdown
 * (string), Reaction, EnrichedReply, ReadReceipt ({}), Attachment, RemoteAttachment,
 * MultiRemoteAttachment, LeaveRequest, GroupUpdated, TransactionReference, WalletSendCalls,
 * Actions, Intent, and the types of the app's codecs;
 * for other types it is undefined, and fallback describes it.
 */
export interface DecodedMessage<T = unknown> {
  id: string;
  conversationId: string;
  senderInboxId: string;
  sentAtNs: bigint;
  sentAt: Date;
  /** When a disappearing message is deleted. */
  expiresAtNs?: bigint;
  expiresAt?: Date;
  kind: GroupMessageKind;
  deliveryStatus: DeliveryStatus;
  contentType: ContentTypeId;
  content: T | undefined;
  fallback?: string;
  /** The reactions to it (messages(), lastMessage(), getMessageById(); empty in streams). */
  reactions: DecodedMessage<Reaction>[];
  /** How many replies answer it (as reactions: 0 in streams). */
  numReplies: bigint;
  /** Not enumerable: the undecoded content, for types goxmtp does not decode. */
  readonly encodedContent?: EncodedContent;
}

export interface ListMessagesOptions {
  sentAfterNs?: bigint | number;
  sentBeforeNs?: bigint | number;
  limit?: number;
  direction?: SortDirection;
  deliveryStatus?: DeliveryStatus;
  kind?: GroupMessageKind;
  /** Only messages of these types. */
  contentTypes?: ContentType[];
  excludeContentTypes?: ContentType[];
  excludeSenderInboxIds?: string[];
}

export interface ListConversationsOptions {
  consentStates?: ConsentState[];
  conversationType?: ConversationType;
  /** List every DM with a peer, not only the most recently active. */
  includeDuplicateDms?: boolean;
  /** CreatedAt (default): oldest first; LastActivity: the most recently active first. */
  orderBy?: ListConversationsOrderBy;
  createdAfterNs?: bigint | number;
  createdBeforeNs?: bigint | number;
  limit?: number;
}

export interface CreateGroupOptions {
  permissions?: GroupPermissionsOptions;
  /** The policies of a CustomPolicy group. */
  customPermissionPolicySet?: PermissionPolicySet;
  messageDisappearingSettings?: MessageDisappearingSettings;
  groupName?: string;
  groupDescription?: string;
  groupImageUrlSquare?: string;
  appData?: string;
}

export interface GroupMember {
  inboxId: string;
  /** The inbox's wallets. */
  accountIdentifiers: Identifier[];
  /** Hex ids of the member's installations in the group. */
  installationIds: string[];
  permissionLevel: PermissionLevel;
  /** The user's consent to the member's inbox. */
  consentState: ConsentState;
}

/** Callbacks a stream also takes (values go to onValue instead of the iterator). */
export interface StreamOptions<T> {
  onValue?: (value: T) => void;
  onError?: (error: GoxmtpError) => void;
  onEnd?: () => void;
}

/** A live stream: an async iterator that return() or end() stops. */
export declare class AsyncStream<T> implements AsyncIterableIterator<T> {
  private constructor();
  readonly isDone: boolean;
  next(): Promise<IteratorResult<T, undefined>>;
  return(value?: unknown): Promise<IteratorResult<T, undefined>>;
  end(): Promise<IteratorResult<T, undefined>>;
  [Symbol.asyncIterator](): AsyncIterableIterator<T>;
}

export interface PermissionPolicySet {
  addMemberPolicy: PermissionPolicy;
  removeMemberPolicy: PermissionPolicy;
  addAdminPolicy: PermissionPolicy;
  removeAdminPolicy: PermissionPolicy;
  updateGroupNamePolicy: PermissionPolicy;
  updateGroupDescriptionPolicy: PermissionPolicy;
  updateGroupImageUrlSquarePolicy: PermissionPolicy;
  updateMessageDisappearingPolicy: PermissionPolicy;
  updateAppDataPolicy: PermissionPolicy;
}

export interface GroupPermissions {
  policyType: GroupPermissionsOptions;
  policySet: PermissionPolicySet;
}

/** What Group and Dm share. */
export declare abstract class Conversation {
  protected constructor();
  readonly id: string;
  readonly createdAtNs: bigint;
  readonly createdAt: Date;
  readonly addedByInboxId: string;
  readonly metadata: { creatorInboxId: string; conversationType: ConversationType };
  /** The network topic of its messages. */
  readonly topic: string;
  isActive(): Promise<boolean>;
  sync(): Promise<void>;
  publishMessages(): Promise<void>;
  /** Publishes a Failed message again under its id; resolves once it is Published. */
  retryMessage(messageId: string): Promise<void>;
  send(encodedContent: EncodedContent, opts?: SendOpts): Promise<string>;
  sendText(text: string, opts?: SendOpts): Promise<string>;
  sendMarkdown(markdown: string, opts?: SendOpts): Promise<string>;
  sendReadReceipt(opts?: SendOpts): Promise<string>;
  sendReaction(reaction: Reaction, opts?: SendOpts): Promise<string>;
  sendReply(reply: Reply, opts?: SendOpts): Promise<string>;
  sendAttachment(attachment: Attachment, opts?: SendOpts): Promise<string>;
  sendRemoteAttachment(remoteAttachment: RemoteAttachment, opts?: SendOpts): Promise<string>;
  sendMultiRemoteAttachment(multiRemoteAttachment: MultiRemoteAttachment, opts?: SendOpts): Promise<string>;
  sendTransactionReference(transactionReference: TransactionReference, opts?: SendOpts): Promise<string>;
  sendWalletSendCalls(walletSendCalls: WalletSendCalls, opts?: SendOpts): Promise<string>;
  sendActions(actions: Actions, opts?: SendOpts): Promise<string>;
  sendIntent(intent: Intent, opts?: SendOpts): Promise<string>;
  /** Unsupported: rejects with code unsupported (goxmtp's streams process what they receive). */
  processStreamedMessage(envelopeBytes: Uint8Array): Promise<DecodedMessage[]>;
  /** Reactions and read receipts are not listed on their own; see DecodedMessage.reactions. */
  messages(options?: ListMessagesOptions): Promise<DecodedMessage[]>;
  lastMessage(): Promise<DecodedMessage | undefined>;
  /** Reactions and read receipts count. */
  countMessages(options?: Omit<ListMessagesOptions, 'limit' | 'direction'>): Promise<bigint>;
  /** This conversation's new messages as they arrive. */
  stream(options?: StreamOptions<DecodedMessage>): Promise<AsyncStream<DecodedMessage>>;
  members(): Promise<GroupMember[]>;
  consentState(): Promise<ConsentState>;
  updateConsentState(state: ConsentState): Promise<void>;
  messageDisappearingSettings(): Promise<MessageDisappearingSettings | undefined>;
  isMessageDisappearingEnabled(): Promise<boolean>;
  updateMessageDisappearingSettings(fromNs: bigint, inNs: bigint): Promise<void>;
  removeMessageDisappearingSettings(): Promise<void>;
  /** Sender-HMAC keys of this conversation, by its id. */
  hmacKeys(): Promise<Map<string, HmacKey[]>>;
  /** The newest read receipt of each inbox, in nanoseconds, by inbox id. */
  lastReadTimes(): Promise<Map<string, bigint>>;
  /** goxmtp keeps no commit log: the logs are empty and maybeForked is false. */
  debugInfo(): Promise<{ epoch: bigint; maybeForked: boolean; forkDetails: string; localCommitLog: string; remoteCommitLog: string; cursor: unknown[] }>;
  /** Always undefined: goxmtp never pauses a conversation for a newer version. */
  pausedForVersion(): Promise<string | undefined>;
}

/** A group. Metadata getters show the state of the last sync(), listing or creation. */
export declare class Group extends Conversation {
  readonly name: string;
  readonly description: string;
  readonly imageUrl: string;
  readonly appData: string;
  readonly admins: string[];
  readonly superAdmins: string[];
  listAdmins(): Promise<string[]>;
  listSuperAdmins(): Promise<string[]>;
  isAdmin(inboxId: string): Promise<boolean>;
  isSuperAdmin(inboxId: string): Promise<boolean>;
  updateName(name: string): Promise<void>;
  updateDescription(description: string): Promise<void>;
  updateImageUrl(imageUrl: string): Promise<void>;
  updateAppData(appData: string): Promise<void>;
  addAdmin(inboxId: string): Promise<void>;
  removeAdmin(inboxId: string): Promise<void>;
  addSuperAdmin(inboxId: string): Promise<void>;
  removeSuperAdmin(inboxId: string): Promise<void>;
  permissions(): Promise<GroupPermissions>;
  /** Super admins only; metadataField names the attribute for PermissionUpdateType.UpdateMetadata. */
  updatePermission(type: PermissionUpdateType, policy: PermissionPolicy, metadataField?: MetadataField): Promise<void>;
  /** Asks the admins to remove this inbox (XIP-75). */
  requestRemoval(): Promise<void>;
  isPendingRemoval(): Promise<boolean>;
  addMembers(inboxIds: string[]): Promise<void>;
  removeMembers(inboxIds: string[]): Promise<void>;
  addMembersByIdentifiers(identifiers: Identifier[]): Promise<void>;
  removeMembersByIdentifiers(identifiers: Identifier[]): Promise<void>;
}

/** A direct message conversation with one other inbox. */
export declare class Dm extends Conversation {
  peerInboxId(): Promise<string>;
  /** The other DMs with the same inbox. */
  duplicateDms(): Promise<Dm[]>;
}

/** client.conversations. */
export declare class Conversations {
  private constructor();
  sync(): Promise<void>;
  syncAll(): Promise<{ numSynced: number }>;
  list(options?: ListConversationsOptions): Promise<(Group | Dm)[]>;
  listGroups(options?: ListConversationsOptions): Promise<Group[]>;
  listDms(options?: ListConversationsOptions): Promise<Dm[]>;
  getConversationById(id: string): Promise<Group | Dm | undefined>;
  getDmByInboxId(inboxId: string): Promise<Dm | undefined>;
  fetchDmByIdentifier(identifier: Identifier): Promise<Dm | undefined>;
  /** The network topic of this installation's welcomes. */
  readonly topic: string;
  getMessageById(id: string): Promise<DecodedMessage | undefined>;
  /** Sender-HMAC keys by conversation id. */
  hmacKeys(): Promise<Map<string, HmacKey[]>>;
  createGroup(inboxIds: string[], options?: CreateGroupOptions): Promise<Group>;
  createGroupWithIdentifiers(identifiers: Identifier[], options?: CreateGroupOptions): Promise<Group>;
  /** A group of this inbox alone; unlike browser-sdk's it is created on the network at once. */
  createGroupOptimistic(options?: CreateGroupOptions): Promise<Group>;
  createDm(inboxId: string, options?: { messageDisappearingSettings?: MessageDisappearingSettings }): Promise<Dm>;
  createDmWithIdentifier(identifier: Identifier, options?: { messageDisappearingSettings?: MessageDisappearingSettings }): Promise<Dm>;
  /** Every new message of every conversation, including those joined while it runs. */
  streamAllMessages(options?: StreamOptions<DecodedMessage> & { conversationType?: ConversationType; consentStates?: ConsentState[] }): Promise<AsyncStream<DecodedMessage>>;
  streamAllGroupMessages(options?: StreamOptions<DecodedMessage> & { consentStates?: ConsentState[] }): Promise<AsyncStream<DecodedMessage>>;
  streamAllDmMessages(options?: StreamOptions<DecodedMessage> & { consentStates?: ConsentState[] }): Promise<AsyncStream<DecodedMessage>>;
  /** Each conversation joined from now on. */
  stream(options?: StreamOptions<Group | Dm> & { conversationType?: ConversationType }): Promise<AsyncStream<Group | Dm>>;
  streamGroups(options?: StreamOptions<Group>): Promise<AsyncStream<Group>>;
  streamDms(options?: StreamOptions<Dm>): Promise<AsyncStream<Dm>>;
  /** Unsupported (no message deletion yet): rejects with code unsupported. */
  streamMessageDeletions(options?: StreamOptions<string>): Promise<AsyncStream<string>>;
  /** Unsupported (no message deletion yet): rejects with code unsupported. */
  streamDeletedMessages(options?: StreamOptions<DecodedMessage>): Promise<AsyncStream<DecodedMessage>>;
}

/** client.preferences. */
export declare class Preferences {
  private constructor();
  /** This inbox's state, from the network. */
  inboxState(refreshFromNetwork?: boolean): Promise<InboxState>;
  fetchInboxState(): Promise<InboxState>;
  getInboxStates(inboxIds: string[]): Promise<InboxState[]>;
  fetchInboxStates(inboxIds: string[]): Promise<InboxState[]>;
  /** Records consent to conversations (GroupId: hex id) or inboxes. */
  setConsentStates(records: Consent[]): Promise<void>;
  getConsentState(entityType: ConsentEntityType, entity: string): Promise<ConsentState>;
  /** Each consent change recorded through this client from now on (not other installations'). */
  streamConsent(options?: StreamOptions<Consent[]>): Promise<AsyncStream<Consent[]>>;
  /** The same changes as [{type: 'ConsentUpdate', consent}]. */
  streamPreferences(options?: StreamOptions<UserPreferenceUpdate[]>): Promise<AsyncStream<UserPreferenceUpdate[]>>;
  /** Unsupported (no device sync): rejects with code unsupported. */
  sync(): Promise<{ numEligible: number; numSynced: number }>;
}

export type UserPreferenceUpdate = { type: 'ConsentUpdate'; consent: Consent };

/** A signature request: what the wallet must sign, and the id to apply its signature with. */
export interface SignatureRequestText {
  signatureText: string;
  signatureRequestId: string;
}

/** An installation's key package on the network, as adding it to a group sees it. */
export interface KeyPackageStatus {
  lifetime?: { notBefore: bigint; notAfter: bigint };
  /** Why adding the installation would fail; absent when it would not. */
  validationError?: string;
}

export interface Consent {
  entityType: ConsentEntityType;
  entity: string;
  state: ConsentState;
}

export interface HmacKey {
  key: Uint8Array;
  epoch: bigint;
}

export interface MessageDisappearingSettings {
  fromNs: bigint;
  inNs: bigint;
}


/**
 * One installation of an XMTP inbox. Events: "ownershiplost" when another tab took its
 * database over (Client.create with takeOver); its calls then reject with store.locked.
 */
export declare class Client extends EventTarget {
  private constructor();
  /** Loads the wallet's installation from this browser, or registers a new one. */
  static create(signer: Signer, options?: ClientOptions): Promise<Client>;
  /** Which identifiers have an XMTP inbox, without a client; the second argument names the node. */
  static canMessage(identifiers: Identifier[], env?: 'local' | 'dev' | 'production' | { env?: 'local' | 'dev' | 'production'; apiUrl?: string }): Promise<Map<string, boolean>>;
  /** Loads an installation this browser already holds, without a signer (else client.not_registered). */
  static build(identifier: Identifier, options?: ClientOptions): Promise<Client>;
  /** How many identity updates each inbox has, without a client. */
  static fetchLatestInboxUpdatesCount(inboxIds: string[], env?: 'local' | 'dev' | 'production' | { env?: 'local' | 'dev' | 'production'; apiUrl?: string }): Promise<Map<string, number>>;
  /** Inbox states from the network, without a client. */
  static fetchInboxStates(inboxIds: string[], env?: 'local' | 'dev' | 'production' | { env?: 'local' | 'dev' | 'production'; apiUrl?: string }): Promise<InboxState[]>;
  /** Revokes installations without a client; signer must be the inbox's recovery wallet. */
  static revokeInstallations(signer: Signer, inboxId: string, installationIds: Uint8Array[], env?: 'local' | 'dev' | 'production' | { env?: 'local' | 'dev' | 'production'; apiUrl?: string }): Promise<void>;
  readonly inboxId: string;
  readonly installationId: string;
  readonly installationIdBytes: Uint8Array;
  readonly accountIdentifier: Identifier;
  readonly options: ClientOptions;
  /** undefined for a client made by build(). */
  readonly signer: Signer | undefined;
  readonly env: 'local' | 'dev' | 'production';
  readonly appVersion: string | undefined;
  /** False once closed. */
  readonly isReady: boolean;
  /** Whether the browser granted persistent storage; without it the database may be evicted. */
  readonly persistentStorage: boolean;
  readonly preferences: Preferences;
  readonly conversations: Conversations;
  isRegistered(): Promise<boolean>;
  canMessage(identifiers: Identifier[]): Promise<Map<string, boolean>>;
  fetchInboxIdByIdentifier(identifier: Identifier): Promise<string | undefined>;
  revokeInstallations(installationIds: Uint8Array[]): Promise<void>;
  revokeAllOtherInstallations(): Promise<void>;
  /** Resolves when registered (Client.create always registers). */
  register(): Promise<void>;
  /** An Ed25519ph signature by this installation's key, never valid as an identity update. */
  signWithInstallationKey(signatureText: string): Promise<Uint8Array>;
  verifySignedWithInstallationKey(signatureText: string, signatureBytes: Uint8Array): Promise<boolean>;
  verifySignedWithPublicKey(signatureText: string, signatureBytes: Uint8Array, publicKey: Uint8Array): Promise<boolean>;
  /** By hex installation id; an installation without a key package has a validationError. */
  fetchKeyPackageStatuses(installationIds: string[]): Promise<Map<string, KeyPackageStatus>>;
  fetchLatestInboxUpdatesCount(inboxIds: string[]): Promise<Map<string, number>>;
  fetchOwnInboxUpdatesCount(): Promise<number>;
  /** Links another wallet (code identity.inbox_reassign when it has an inbox, unless allowed). */
  unsafe_addAccount(newAccountSigner: Signer, allowInboxReassign?: boolean): Promise<void>;
  /** Signed by the client's signer, which must be the recovery wallet. */
  removeAccount(identifier: Identifier): Promise<void>;
  changeRecoveryIdentifier(identifier: Identifier): Promise<void>;
  /** Nothing to sign: a goxmtp client is registered when created. */
  unsafe_createInboxSignatureText(): Promise<{ signatureText?: string; signatureRequestId?: string }>;
  /** Signature requests for wallets the app reaches itself; apply with unsafe_applySignatureRequest. */
  unsafe_addAccountSignatureText(newIdentifier: Identifier, allowInboxReassign?: boolean): Promise<SignatureRequestText>;
  unsafe_removeAccountSignatureText(identifier: Identifier): Promise<SignatureRequestText>;
  unsafe_revokeAllOtherInstallationsSignatureText(): Promise<SignatureRequestText>;
  unsafe_revokeInstallationsSignatureText(installationIds: Uint8Array[]): Promise<SignatureRequestText>;
  unsafe_changeRecoveryIdentifierSignatureText(identifier: Identifier): Promise<SignatureRequestText>;
  /** signer: the wallet's EIP-191 signature of the text (EOA only). */
  unsafe_applySignatureRequest(signer: { type: 'EOA'; identifier: Identifier; signature: Uint8Array }, signatureRequestId: string): Promise<void>;
  /** Unsupported (no device sync or history archives): each rejects with code unsupported. */
  sendSyncRequest(options?: unknown, serverUrl?: string): Promise<never>;
  sendSyncArchive(pin: string, options?: unknown, serverUrl?: string): Promise<never>;
  processSyncArchive(archivePin?: string | null): Promise<never>;
  listAvailableArchives(daysCutoff: number): Promise<never>;
  createArchive(key: Uint8Array, opts?: unknown): Promise<never>;
  importArchive(data: Uint8Array, key: Uint8Array): Promise<never>;
  archiveMetadata(data: Uint8Array, key: Uint8Array): Promise<never>;
  syncAllDeviceSyncGroups(): Promise<never>;
  /** Idempotent: cancels calls in flight, ends streams, releases the database. */
  close(): Promise<void>;
}

// Enums: the same names and values as @xmtp/browser-sdk 7.1.
export declare enum IdentifierKind { Ethereum = 0, Passkey = 1 }
export declare enum ConsentState { Unknown = 0, Allowed = 1, Denied = 2 }
export declare enum ConsentEntityType { GroupId = 0, InboxId = 1 }
export declare enum ConversationType { Dm = 0, Group = 1, Sync = 2, Oneshot = 3 }
export declare enum DeliveryStatus { Unpublished = 0, Published = 1, Failed = 2 }
export declare enum GroupMessageKind { Application = 0, MembershipChange = 1 }
export declare enum GroupMembershipState { Allowed = 0, Rejected = 1, Pending = 2, Restored = 3, PendingRemove = 4 }
export declare enum GroupPermissionsOptions { Default = 0, AdminOnly = 1, CustomPolicy = 2 }
export declare enum ListConversationsOrderBy { CreatedAt = 0, LastActivity = 1 }
export declare enum MessageSortBy { SentAt = 0, InsertedAt = 1 }
export declare enum SortDirection { Ascending = 0, Descending = 1 }
export declare enum MetadataField { AppData = 0, Description = 1, GroupName = 2, GroupImageUrlSquare = 3, MessageExpirationFromNs = 4, MessageExpirationInNs = 5 }
export declare enum PermissionLevel { Member = 0, Admin = 1, SuperAdmin = 2 }
export declare enum PermissionPolicy { Allow = 0, Deny = 1, Admin = 2, SuperAdmin = 3, DoesNotExist = 4, Other = 5 }
export declare enum PermissionUpdateType { AddMember = 0, RemoveMember = 1, AddAdmin = 2, RemoveAdmin = 3, UpdateMetadata = 4 }
export declare enum ReactionAction { Unknown = 0, Added = 1, Removed = 2 }
export declare enum ReactionSchema { Unknown = 0, Unicode = 1, Shortcode = 2, Custom = 3 }
export declare enum ActionStyle { Primary = 0, Secondary = 1, Danger = 2 }
export declare enum LogLevel { Off = 0, Error = 1, Warn = 2, Info = 3, Debug = 4, Trace = 5 }
export declare enum ContentType { Actions = 0, Attachment = 1, Custom = 2, GroupMembershipChange = 3, GroupUpdated = 4, Intent = 5, LeaveRequest = 6, Markdown = 7, MultiRemoteAttachment = 8, Reaction = 9, ReadReceipt = 10, RemoteAttachment = 11, Reply = 12, Text = 13, TransactionReference = 14, WalletSendCalls = 15 }
export declare const ApiUrls: { readonly local: string; readonly dev: string; readonly production: string };
