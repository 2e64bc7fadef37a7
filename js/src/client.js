// Client: one installation of an XMTP inbox, as @xmtp/browser-sdk 7.1 shapes it. Its work
// runs in the wasm module (a Web Worker by default); this object holds the module's handle
// of it and the properties that never change.
import { ApiUrls } from './enums.js';
import { codedError } from './host.js';
import { module } from './module.js';
import { Preferences } from './preferences.js';
import { Conversations } from './conversations.js';
import { openStream } from './stream.js';
import { CodecRegistry } from './codecs.js';
import { badArgument, checkIdentifier, checkIdentifiers, checkInboxIds, unsupportedMethods } from './check.js';

/**
 * Calls a method of a client's handle: for the client's sub-objects (preferences,
 * conversations, groups); the package does not export it.
 */
export let clientCall;

/** Opens a stream of a client (see openStream), ended when the client closes. */
export let clientStream;

export class Client extends EventTarget {
  #rpc;
  #handle;
  #info;
  #options;
  #signer;
  #identifier;
  #closing;
  #persisted;
  #preferences;
  #conversations;
  #streams = new Set();
  #codecs;

  /** Use Client.create. */
  constructor(rpc, handle, info, { options, signer, identifier, persisted, codecs }) {
    super();
    this.#rpc = rpc;
    this.#handle = handle;
    this.#info = info;
    this.#options = options;
    this.#signer = signer;
    this.#identifier = identifier;
    this.#persisted = persisted;
    this.#codecs = codecs;
    this.#preferences = new Preferences(this);
    this.#conversations = new Conversations(this);
  }

  /**
   * Creates the client of signer's wallet: loads its installation from this browser's
   * storage, or registers a new one (the signer is asked to sign once or twice).
   */
  static async create(signer, options = {}) {
    const sign = signerFunction(signer);
    checkOptions(options);
    const identifier = await signer.getIdentifier();
    checkIdentifier(identifier, 'signer.getIdentifier()');
    return Client.#open(identifier, sign, signer, options);
  }

  /**
   * Loads the installation of identifier that this browser already holds, without a signer:
   * with none registered here it rejects with client.not_registered. Revoking installations
   * needs a client made by create().
   */
  static async build(identifier, options = {}) {
    checkIdentifier(identifier, 'identifier');
    checkOptions(options);
    const refuse = () => {
      throw codedError('client.not_registered', 'goxmtp: no registered installation of this identifier in this browser; use Client.create with a signer');
    };
    return Client.#open(identifier, refuse, undefined, options);
  }

  /**
   * Which identifiers have an XMTP inbox, without a client. The second argument is an env,
   * or {env, apiUrl} to name the node.
   */
  static async canMessage(identifiers, envOrOptions) {
    checkIdentifiers(identifiers);
    return new Map(Object.entries(await staticCall('canMessage', envOrOptions, [identifiers])));
  }

  /** How many identity updates each inbox has on the network, without a client (see the method). */
  static async fetchLatestInboxUpdatesCount(inboxIds, envOrOptions) {
    checkInboxIds(inboxIds);
    return new Map(Object.entries(await staticCall('inboxUpdatesCount', envOrOptions, [inboxIds])));
  }

  /** The states of inboxes, from the network, without a client. */
  static async fetchInboxStates(inboxIds, envOrOptions) {
    checkInboxIds(inboxIds);
    return staticCall('fetchInboxStates', envOrOptions, [inboxIds]);
  }

  /**
   * Revokes installations of an inbox without a client, signed by signer, the inbox's
   * recovery wallet: how a user at the installation limit frees a slot before registering.
   */
  static async revokeInstallations(signer, inboxId, installationIds, envOrOptions) {
    const sign = signerFunction(signer);
    if (typeof inboxId !== 'string') throw badArgument('inboxId must be a string');
    if (!Array.isArray(installationIds) || !installationIds.every((id) => id instanceof Uint8Array)) {
      throw badArgument('installationIds must be an array of Uint8Array');
    }
    const identifier = await signer.getIdentifier();
    checkIdentifier(identifier, 'signer.getIdentifier()');
    await staticCall('revokeInstallations', envOrOptions, [identifier, sign, inboxId, installationIds]);
  }

  static async #open(identifier, sign, signer, options) {
    const env = options.env ?? 'dev';
    const codecs = new CodecRegistry(options.codecs);
    const persisted = options.dbPath === null ? false : await requestPersistence();
    const rpc = await module();
    let client;
    const onEvent = (event) => {
      if (event.type === 'ownershipLost') client?.dispatchEvent(new Event('ownershiplost'));
    };
    const goOptions = {
      env,
      apiUrl: options.apiUrl ?? ApiUrls[env],
      appVersion: options.appVersion,
      dbPath: options.dbPath,
      dbEncryptionKey: options.dbEncryptionKey,
      takeOver: options.takeOver,
      _curve25519Welcomes: options._curve25519Welcomes, // untyped: for interop tests only
    };
    const info = await rpc.call(0, 'createClient', [identifier, sign, goOptions, onEvent]);
    client = new Client(rpc, info.handle, info, { options: { ...options, env }, signer, identifier, persisted, codecs });
    return client;
  }

  /** The inbox this installation belongs to. */
  get inboxId() { return this.#info.inboxId; }
  /** This installation's id (hex of its public key). */
  get installationId() { return this.#info.installationId; }
  /** This installation's public key. */
  get installationIdBytes() { return this.#info.installationIdBytes; }
  /** The wallet the client was created with. */
  get accountIdentifier() { return this.#identifier; }
  /** The options the client was created with. */
  get options() { return this.#options; }
  /** The app's codecs (options.codecs), which decode the content types goxmtp does not know. @internal */
  get codecs() { return this.#codecs; }
  /** The signer the client was created with (undefined for Client.build). */
  get signer() { return this.#signer; }
  /** The XMTP environment the client talks to. */
  get env() { return this.#options.env; }
  /** The app version sent to the node with every call. */
  get appVersion() { return this.#options.appVersion; }
  /** True once created; a closed client is not ready. */
  get isReady() { return this.#closing === undefined; }
  /**
   * Whether the browser granted persistent storage (navigator.storage.persist()). When it
   * did not, the browser may evict the database under storage pressure, and the next start
   * registers a new installation.
   */
  get persistentStorage() { return this.#persisted; }
  /** Inbox states (and, as core provides them, consent and preferences). */
  get preferences() { return this.#preferences; }
  /** Creating, listing and syncing conversations. */
  get conversations() { return this.#conversations; }

  /** Whether the network has accepted this installation. */
  async isRegistered() { return this.#call('isRegistered'); }

  /** Which identifiers have an XMTP inbox, keyed by identifier. */
  async canMessage(identifiers) {
    checkIdentifiers(identifiers);
    return new Map(Object.entries(await this.#call('canMessage', identifiers)));
  }

  /** The inbox id an identifier belongs to, or undefined when it has none. */
  async fetchInboxIdByIdentifier(identifier) {
    checkIdentifier(identifier, 'identifier');
    return this.#call('fetchInboxIdByIdentifier', identifier);
  }

  /** Revokes installations of this inbox; the client's signer must be its recovery wallet. */
  async revokeInstallations(installationIds) {
    if (!Array.isArray(installationIds) || !installationIds.every((id) => id instanceof Uint8Array)) {
      throw badArgument('installationIds must be an array of Uint8Array');
    }
    return this.#call('revokeInstallations', installationIds);
  }

  /** Revokes every installation of this inbox but this one. */
  async revokeAllOtherInstallations() { return this.#call('revokeAllOtherInstallations'); }

  /**
   * Registers this installation. Client.create always registers (disableAutoRegister is not
   * supported), so this only confirms it.
   */
  async register() {
    if (!(await this.isRegistered())) throw codedError('client.not_registered', 'goxmtp: this installation is not registered');
  }

  /**
   * Signs signatureText with this installation's key, for the app's own purposes (a login to
   * its server); such a signature can never act as an identity update. 64 bytes.
   */
  async signWithInstallationKey(signatureText) {
    if (typeof signatureText !== 'string') throw badArgument('signatureText must be a string');
    return this.#call('signWithInstallationKey', signatureText);
  }

  /** Whether signatureBytes is this installation's signature of signatureText. */
  async verifySignedWithInstallationKey(signatureText, signatureBytes) {
    checkSignature(signatureText, signatureBytes);
    return this.#call('verifySignedWithInstallationKey', signatureText, signatureBytes);
  }

  /** Whether signatureBytes is the signature of signatureText by the installation key publicKey. */
  async verifySignedWithPublicKey(signatureText, signatureBytes, publicKey) {
    checkSignature(signatureText, signatureBytes);
    if (!(publicKey instanceof Uint8Array)) throw badArgument('publicKey must be a Uint8Array');
    return this.#call('verifySignedWithPublicKey', signatureText, signatureBytes, publicKey);
  }

  /**
   * The key packages the network holds for installations (hex ids), as adding them to a
   * group would see them: Map of id to {lifetime?: {notBefore, notAfter}, validationError?}.
   * An installation without one has a validationError, as in browser-sdk.
   */
  async fetchKeyPackageStatuses(installationIds) {
    checkInboxIds(installationIds, 'installationIds');
    return new Map(Object.entries(await this.#call('fetchKeyPackageStatuses', installationIds)));
  }

  /** How many identity updates each inbox has (an inbox's log holds at most 256): Map of id to count. */
  async fetchLatestInboxUpdatesCount(inboxIds) {
    checkInboxIds(inboxIds);
    return new Map(Object.entries(await this.#call('fetchLatestInboxUpdatesCount', inboxIds)));
  }

  /**
   * Links another wallet to this inbox; its signer signs once. A wallet that has an inbox
   * already is moved here only with allowInboxReassign (it then loses its old inbox), else
   * this rejects with code identity.inbox_reassign.
   */
  async unsafe_addAccount(newAccountSigner, allowInboxReassign = false) {
    const sign = signerFunction(newAccountSigner);
    if (typeof allowInboxReassign !== 'boolean') throw badArgument('allowInboxReassign must be a boolean');
    const identifier = await newAccountSigner.getIdentifier();
    checkIdentifier(identifier, 'newAccountSigner.getIdentifier()');
    return this.#call('addAccount', identifier, sign, allowInboxReassign);
  }

  /** Unlinks a wallet from this inbox; the client's signer must be the recovery wallet. */
  async removeAccount(identifier) {
    checkIdentifier(identifier, 'identifier');
    return this.#call('removeAccount', identifier);
  }

  /** Makes another wallet the inbox's recovery wallet; the client's signer must be the current one. */
  async changeRecoveryIdentifier(identifier) {
    checkIdentifier(identifier, 'identifier');
    return this.#call('changeRecoveryIdentifier', identifier);
  }

  /**
   * The signature-request workflow, for wallets the app reaches itself: each
   * unsafe_*SignatureText resolves with {signatureText, signatureRequestId}; the app has the
   * wallet sign the text (EIP-191) and passes {type: 'EOA', identifier, signature} to
   * unsafe_applySignatureRequest, which publishes the update.
   */
  async unsafe_revokeInstallationsSignatureText(installationIds) {
    if (!Array.isArray(installationIds) || !installationIds.every((id) => id instanceof Uint8Array)) {
      throw badArgument('installationIds must be an array of Uint8Array');
    }
    return this.#call('unsafe_revokeInstallationsSignatureText', installationIds);
  }
  async unsafe_revokeAllOtherInstallationsSignatureText() { return this.#call('unsafe_revokeAllOtherInstallationsSignatureText'); }
  async unsafe_removeAccountSignatureText(identifier) {
    checkIdentifier(identifier, 'identifier');
    return this.#call('unsafe_removeAccountSignatureText', identifier);
  }
  async unsafe_changeRecoveryIdentifierSignatureText(identifier) {
    checkIdentifier(identifier, 'identifier');
    return this.#call('unsafe_changeRecoveryIdentifierSignatureText', identifier);
  }
  async unsafe_addAccountSignatureText(newIdentifier, allowInboxReassign = false) {
    checkIdentifier(newIdentifier, 'newIdentifier');
    return this.#call('unsafe_addAccountSignatureText', newIdentifier, allowInboxReassign);
  }
  /** A client of goxmtp is registered when created: there is nothing to sign. */
  async unsafe_createInboxSignatureText() { return { signatureText: undefined, signatureRequestId: undefined }; }
  /** Completes a signature request with the wallet's signature and publishes the update. */
  async unsafe_applySignatureRequest(signer, signatureRequestId) {
    return this.#call('unsafe_applySignatureRequest', signer, signatureRequestId);
  }

  /** How many identity updates this inbox has. */
  async fetchOwnInboxUpdatesCount() {
    return (await this.fetchLatestInboxUpdatesCount([this.inboxId])).get(this.inboxId);
  }

  /**
   * Closes the client: its calls in flight reject with bridge.canceled, its streams end, its
   * database is released to other tabs, and later calls reject with client.closed. Calling
   * it again returns the same promise.
   */
  close() {
    this.#closing ??= (async () => {
      await Promise.all([...this.#streams].map((s) => s.end()));
      await this.#rpc.close(this.#handle);
    })();
    return this.#closing;
  }

  /** Calls a method of this client in the module. @internal */
  async #call(method, ...args) {
    if (this.#closing) throw codedError('client.closed', 'goxmtp: client closed');
    return this.#rpc.call(this.#handle, method, args);
  }

  static {
    clientCall = (client, method, args) => client.#call(method, ...args);
    clientStream = async (client, method, args, map, callbacks) => {
      const stream = await openStream(
        (m, a) => client.#call(m, ...a),
        (handle) => {
          client.#streams.delete(stream);
          return client.#rpc.close(handle);
        },
        method, args, map, callbacks,
      );
      client.#streams.add(stream);
      return stream;
    };
  }
}

function checkSignature(text, bytes) {
  if (typeof text !== 'string') throw badArgument('signatureText must be a string');
  if (!(bytes instanceof Uint8Array)) throw badArgument('signatureBytes must be a Uint8Array');
}

// browser-sdk 7.1 methods goxmtp lacks; each rejects with code unsupported (js/README.md).
unsupportedMethods(Client, [
  // device sync and history archives
  'sendSyncRequest', 'sendSyncArchive', 'processSyncArchive', 'listAvailableArchives',
  'createArchive', 'importArchive', 'archiveMetadata', 'syncAllDeviceSyncGroups',
]);

/**
 * Calls a module function that needs no client, on the node of envOrOptions: an env, or
 * {env, apiUrl} (the static methods' last argument).
 */
async function staticCall(method, envOrOptions, args) {
  const options = typeof envOrOptions === 'string' ? { env: envOrOptions } : envOrOptions ?? {};
  checkOptions(options);
  const rpc = await module();
  return rpc.call(0, method, [options.apiUrl ?? ApiUrls[options.env ?? 'dev'], ...args]);
}

/** Checks the options of create and build. */
function checkOptions(options) {
  if (options === null || typeof options !== 'object') throw badArgument('options must be an object');
  if (options.disableAutoRegister) {
    throw badArgument('disableAutoRegister is not supported yet: Client.create registers a new installation, Client.build never does');
  }
  if (!Object.hasOwn(ApiUrls, options.env ?? 'dev')) {
    throw badArgument(`env must be one of ${Object.keys(ApiUrls).join(', ')}`);
  }
}

/**
 * Checks browser-sdk's signer shape and returns the function the module asks to sign a text.
 * signMessage may return a Uint8Array or a 0x-hex string (what viem and ethers give).
 */
function signerFunction(signer) {
  if (signer === null || typeof signer !== 'object') throw badArgument('signer must be an object');
  if (typeof signer.getIdentifier !== 'function' || typeof signer.signMessage !== 'function') {
    throw badArgument('signer must have getIdentifier() and signMessage(message)');
  }
  if (signer.type !== 'EOA') {
    throw codedError('signer.unsupported', `goxmtp: signer type ${signer.type} is not supported; only "EOA" is`);
  }
  return async (text) => toBytes(await signer.signMessage(text));
}

function toBytes(sig) {
  if (sig instanceof Uint8Array) return sig;
  if (typeof sig === 'string' && /^0x([0-9a-f]{2})*$/i.test(sig)) {
    return Uint8Array.from(sig.slice(2).match(/../g) ?? [], (b) => parseInt(b, 16));
  }
  throw codedError('signer.failed', 'goxmtp: signMessage must return a Uint8Array or a 0x-hex string', 'TypeError');
}

/** Asks once per page for persistent storage, so the browser does not evict the database. */
let persistence;
function requestPersistence() {
  persistence ??= (async () => {
    try {
      return (await navigator.storage?.persist?.()) === true;
    } catch {
      return false;
    }
  })();
  return persistence;
}

