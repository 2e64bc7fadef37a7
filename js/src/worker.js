// The Web Worker that hosts the wasm module, so protocol work never janks the page. It
// speaks the message protocol described in rpc.js: one init, then calls and closes by id,
// and calls back the page's functions (a signer, a stream's sink) by message.
import { codedError, deserializeError, serializeError, startModule } from './host.js';

let api;
let dead;
let nextCallback = 1;
const callbacks = new Map(); // callback id → {resolve, reject}

/** A function standing for one of the page's: calling it asks the page and awaits its answer. */
function remote(fn) {
  return (...args) => new Promise((resolve, reject) => {
    const id = nextCallback++;
    callbacks.set(id, { resolve, reject });
    self.postMessage({ type: 'callback', id, fn, args });
  });
}

const revive = (a) => (a !== null && typeof a === 'object' && typeof a.$fn === 'number' ? remote(a.$fn) : a);

async function run(msg) {
  if (dead) throw dead;
  if (!api) throw codedError('module.not_ready', 'goxmtp: the module has not started');
  if (msg.type === 'close') return api.close(msg.handle);
  return api.call(msg.handle, msg.method, ...msg.args.map(revive));
}

self.onmessage = async ({ data: msg }) => {
  switch (msg.type) {
    case 'init':
      try {
        api = await startModule(msg.wasmUrl, (reason) => {
          dead = reason;
          self.postMessage({ type: 'exit', error: serializeError(reason) });
        });
        self.postMessage({ type: 'ready' });
      } catch (err) {
        self.postMessage({ type: 'init-error', error: serializeError(err) });
      }
      return;
    case 'call':
    case 'close':
      try {
        self.postMessage({ type: 'result', id: msg.id, value: await run(msg) });
      } catch (err) {
        self.postMessage({ type: 'result', id: msg.id, error: serializeError(err) });
      }
      return;
    case 'callback-result': {
      const c = callbacks.get(msg.id);
      callbacks.delete(msg.id);
      if (msg.error) c?.reject(deserializeError(msg.error, null));
      else c?.resolve(msg.value);
    }
  }
};
