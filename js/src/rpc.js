// How the package reaches the wasm module: through a Web Worker (the default) or directly on
// the page's thread. Both expose the same `call(method, ...args)` returning a promise.
import { codedError, deserializeError, startModule } from './host.js';

/** Starts the module in a dedicated module worker. */
export function workerTransport(wasmUrl) {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'goxmtp' });
  const pending = new Map();
  let nextId = 1;
  let failure;

  const failAll = (err) => {
    failure = err;
    for (const { reject } of pending.values()) reject(err);
    pending.clear();
  };

  const ready = new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      switch (data.type) {
        case 'ready':
          resolve();
          break;
        case 'init-error':
          reject(deserializeError(data.error));
          break;
        case 'exit':
          failAll(deserializeError(data.error));
          break;
        case 'result': {
          const p = pending.get(data.id);
          if (!p) return;
          pending.delete(data.id);
          if (data.error) p.reject(deserializeError(data.error));
          else p.resolve(data.value);
          break;
        }
      }
    };
    worker.onerror = (event) => {
      const err = codedError('module.worker_failed', `goxmtp: worker failed: ${event.message ?? 'unknown error'}`);
      reject(err);
      failAll(err);
    };
  });
  worker.postMessage({ type: 'init', wasmUrl: String(wasmUrl) });

  return {
    ready,
    call(method, ...args) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: 'call', id, method, args });
      });
    },
  };
}

/** Starts the module on the calling thread (for apps that manage their own workers). */
export function mainThreadTransport(wasmUrl) {
  let failure;
  const api = startModule(wasmUrl, (err) => {
    failure = err;
  });
  return {
    ready: api.then(() => undefined),
    async call(method, ...args) {
      if (failure) throw failure;
      const fns = await api;
      if (typeof fns[method] !== 'function') {
        throw codedError('bridge.unknown_method', `goxmtp: unknown method ${method}`, 'TypeError');
      }
      return fns[method](...args);
    },
  };
}
