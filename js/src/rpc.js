// How the package reaches the wasm module: through a Web Worker (the default) or directly on
// the page's thread. Both give the same transport:
//
//   call(handle, method, args) → Promise   a method of a Go handle (0 is the module itself)
//   close(handle) → Promise                 closes a handle; closing twice is harmless
//
// Functions among a call's arguments (the signer, a stream's sink) stay on the calling
// thread. In worker mode each crosses as {$fn: n} and the worker calls it back by message;
// it is released when the call settles, or, when the call opened a handle (a client, a
// stream), when that handle closes.
//
// The messages between page and worker follow (src/worker.js speaks the other side).
import { codedError, deserializeError, serializeError, startModule } from './host.js';

/** @typedef {{name: string, code?: string | null, message: string}} WireError an Error flattened for postMessage, which drops an Error's code */
/** @typedef {{$fn: number}} WireFunction a page function standing in an argument list */
/** @typedef {{type: 'init', wasmUrl: string}} InitMessage page → worker */
/** @typedef {{type: 'call', id: number, handle: number, method: string, args: unknown[]}} CallMessage page → worker */
/** @typedef {{type: 'close', id: number, handle: number}} CloseMessage page → worker */
/** @typedef {{type: 'callback-result', id: number, value?: unknown, error?: WireError}} CallbackResultMessage page → worker */
/** @typedef {{type: 'ready'} | {type: 'init-error', error: WireError} | {type: 'exit', error: WireError}} StateMessage worker → page */
/** @typedef {{type: 'result', id: number, value?: unknown, error?: WireError}} ResultMessage worker → page */
/** @typedef {{type: 'callback', id: number, fn: number, args: unknown[]}} CallbackMessage worker → page */

/** Starts the module in a dedicated module worker. */
export function workerTransport(wasmUrl) {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'goxmtp' });
  const pending = new Map(); // call id → {resolve, reject, fns}
  const callbacks = new Map(); // fn id → function
  const handleFns = new Map(); // handle → fn ids it keeps alive
  let nextId = 1;
  let failure;

  const failAll = (err) => {
    failure = err;
    for (const { reject } of pending.values()) reject(err);
    pending.clear();
    callbacks.clear();
  };
  const release = (fns) => fns.forEach((n) => callbacks.delete(n));

  const settle = ({ id, value, error }) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (error) {
      release(p.fns);
      p.reject(deserializeError(error));
      return;
    }
    if (typeof value?.handle === 'number' && p.fns.length > 0) handleFns.set(value.handle, p.fns);
    else release(p.fns);
    p.resolve(value);
  };

  /** Runs a page function the worker called back, and posts its CallbackResultMessage. */
  const answer = async (/** @type {CallbackMessage} */ { id, fn, args }) => {
    try {
      const f = callbacks.get(fn);
      if (!f) throw codedError('bridge.closed', 'goxmtp: the callback was released');
      worker.postMessage({ type: 'callback-result', id, value: await f(...args) });
    } catch (err) {
      worker.postMessage({ type: 'callback-result', id, error: serializeError(err) });
    }
  };

  const ready = new Promise((resolve, reject) => {
    /** @param {MessageEvent<StateMessage | ResultMessage | CallbackMessage>} event */
    worker.onmessage = ({ data }) => {
      switch (data.type) {
        case 'ready': resolve(); break;
        case 'init-error': reject(deserializeError(data.error)); break;
        case 'exit': failAll(deserializeError(data.error)); break;
        case 'result': settle(data); break;
        case 'callback': answer(data); break;
      }
    };
    worker.onerror = (event) => {
      const err = codedError('module.worker_failed', `goxmtp: worker failed: ${event.message ?? 'unknown error'}`);
      reject(err);
      failAll(err);
    };
  });
  worker.postMessage({ type: 'init', wasmUrl: String(wasmUrl) });

  /** Posts a call or close and resolves with its result; fns are the call's page functions. */
  const send = (/** @type {Omit<CallMessage, 'id'> | Omit<CloseMessage, 'id'>} */ message, fns = []) => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, fns });
      worker.postMessage({ ...message, id });
    });
  };

  return {
    ready,
    call(handle, method, args) {
      const fns = [];
      const wire = args.map((a) => {
        if (typeof a !== 'function') return a;
        const n = nextId++;
        callbacks.set(n, a);
        fns.push(n);
        return { $fn: n };
      });
      return send({ type: 'call', handle, method, args: wire }, fns);
    },
    async close(handle) {
      await send({ type: 'close', handle });
      release(handleFns.get(handle) ?? []);
      handleFns.delete(handle);
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
    async call(handle, method, args) {
      if (failure) throw failure;
      return (await api).call(handle, method, ...args);
    },
    async close(handle) {
      if (failure) throw failure;
      return (await api).close(handle);
    },
  };
}
