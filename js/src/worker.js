// The Web Worker that hosts the wasm module, so protocol work never janks the page. It
// speaks a small message protocol with src/rpc.js: one init, then calls by id.
import { serializeError, startModule } from './host.js';

let api;
let dead;

self.onmessage = async (event) => {
  const msg = event.data;
  if (msg.type === 'init') {
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
  }
  if (msg.type === 'call') {
    try {
      if (dead) throw dead;
      const fn = api[msg.method];
      if (typeof fn !== 'function') {
        throw Object.assign(new TypeError(`goxmtp: unknown method ${msg.method}`), { code: 'bridge.unknown_method' });
      }
      const value = await fn(...msg.args);
      self.postMessage({ type: 'result', id: msg.id, value });
    } catch (err) {
      self.postMessage({ type: 'result', id: msg.id, error: serializeError(err) });
    }
  }
};
