// Streams: the module pushes each value to a sink on the page as it arrives; the page sees
// an async iterator (for await ... of) that also takes callbacks, as browser-sdk's streams
// do. return() or end() stops the stream in the module; so does closing its client.
import { codedError } from './host.js';

export class AsyncStream {
  #queue = [];
  #waiting = [];
  #done = false;
  #error;
  #callbacks;
  #stop;

  /** callbacks: {onValue, onError, onEnd}; with onValue, values go there and are not queued. */
  constructor(callbacks = {}) {
    this.#callbacks = callbacks;
  }

  /** Whether the stream has ended. */
  get isDone() { return this.#done; }

  /** Wires the function that stops the stream in the module. @internal */
  attach(stop) {
    this.#stop = stop;
    if (this.#done) Promise.resolve(stop()).catch(() => {});
  }

  /** Takes one event of the module's sink: {value} or {error}. @internal */
  push(event) {
    if (this.#done) return;
    if ('error' in event) {
      this.#finish(event.error);
      return;
    }
    if (this.#callbacks.onValue) {
      // A throwing callback is the app's bug: it surfaces as an uncaught error, and the
      // stream goes on rather than ending unnoticed.
      try {
        this.#callbacks.onValue(event.value);
      } catch (err) {
        queueMicrotask(() => { throw err; });
      }
      return;
    }
    const waiter = this.#waiting.shift();
    if (waiter) waiter.resolve({ value: event.value, done: false });
    else this.#queue.push(event.value);
  }

  /** The next value, or {done: true} once the stream has ended and its values were read. */
  next() {
    if (this.#queue.length > 0) return Promise.resolve({ value: this.#queue.shift(), done: false });
    if (this.#error) return Promise.reject(this.#error);
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  /** Stops the stream; values not yet read are dropped. */
  async return(value) {
    this.#queue = [];
    this.#finish();
    return { value, done: true };
  }

  /** Same as return(). */
  end() { return this.return(); }

  [Symbol.asyncIterator]() { return this; }

  #finish(error) {
    if (this.#done) return;
    this.#done = true;
    this.#error = error;
    for (const w of this.#waiting.splice(0)) {
      if (error) w.reject(error);
      else w.resolve({ value: undefined, done: true });
    }
    if (error) this.#callbacks.onError?.(error);
    this.#callbacks.onEnd?.();
    // Stopping fails only when the module itself has died; the stream has ended either way.
    Promise.resolve(this.#stop?.()).catch(() => {});
  }
}

/**
 * Opens a stream: call(method, args) starts it in the module with a sink appended to args,
 * close(handle) stops it; each value is converted by map, which may return undefined to
 * skip it. Resolves once the module's stream runs.
 */
export async function openStream(call, close, method, args, map, callbacks) {
  const stream = new AsyncStream(callbacks);
  const sink = (event) => {
    if ('error' in event) {
      stream.push({ error: codedError(event.error.code, event.error.message, event.error.name) });
      return;
    }
    const value = map(event.value);
    if (value !== undefined) stream.push({ value });
  };
  const { handle } = await call(method, [...args, sink]);
  stream.attach(() => close(handle));
  return stream;
}

