// goxmtp: XMTP V3 group chat for the browser, in Go compiled to WebAssembly.
import { mainThreadTransport, workerTransport } from './src/rpc.js';

export * from './src/enums.js';

const defaults = {
  wasmUrl: new URL('./dist/goxmtp.wasm', import.meta.url),
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
    throw Object.assign(new TypeError('goxmtp: configure expects an options object'), { code: 'bridge.bad_argument' });
  }
  options = { ...defaults, ...opts };
}

/** Starts the module once and returns its transport. */
function module() {
  if (!transport) {
    transport = options.worker ? workerTransport(options.wasmUrl) : mainThreadTransport(options.wasmUrl);
  }
  return transport;
}

/** Resolves when the wasm module has started and answers calls. */
export async function ready() {
  await module().ready;
}

/** Reports the library version and the MLS ciphersuite goxmtp speaks. */
export async function version() {
  const t = module();
  await t.ready;
  return t.call('version');
}
