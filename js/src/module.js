// The one running wasm module of the page, shared by every client: where it is loaded from,
// whether it runs in a Web Worker, and the transport that reaches it.
import { mainThreadTransport, workerTransport } from './rpc.js';
import { codedError } from './host.js';
import { checkIdentifier } from './check.js';

const defaults = {
  wasmUrl: new URL('../dist/goxmtp.wasm', import.meta.url),
  worker: true,
};

let options = { ...defaults };
let transport;

/**
 * Chooses where the wasm is loaded from and whether it runs in a Web Worker. Call it before
 * the first API call; later calls have no effect on a module that is already running.
 */
export function configure(opts = {}) {
  if (opts === null || typeof opts !== 'object') {
    throw codedError('bridge.bad_argument', 'goxmtp: configure expects an options object', 'TypeError');
  }
  options = { ...defaults, ...opts };
}

/** Starts the module once and returns its transport, once it answers calls. */
export async function module() {
  if (!transport) {
    transport = options.worker ? workerTransport(options.wasmUrl) : mainThreadTransport(options.wasmUrl);
  }
  await transport.ready;
  return transport;
}

/** Resolves when the wasm module has started and answers calls. */
export async function ready() {
  await module();
}

/** Reports the library version and the MLS ciphersuite goxmtp speaks. */
export async function version() {
  return (await module()).call(0, 'version', []);
}

/** The inbox id a wallet gets with nonce (default 1n), computed locally; browser-sdk's function. */
export async function generateInboxId(identifier, nonce) {
  checkIdentifier(identifier, 'identifier');
  return (await module()).call(0, 'generateInboxId', nonce === undefined ? [identifier] : [identifier, nonce]);
}

/** The attribute key a MetadataField names in a group's metadata, e.g. "group_name". */
export async function metadataFieldName(field) {
  return (await module()).call(0, 'metadataFieldName', [field]);
}
