// Starts goxmtp's Go wasm module in the current global scope (a Web Worker or the page) and
// resolves with the API object the module installs. Go's runtime support (wasm_exec.js) is
// copied from the Go toolchain into dist/ by the build, so it always matches the compiler.
// It is imported when the module starts, not with this file: the worker then begins the
// wasm's download one module load sooner, and a page that only imports the package (its
// errors live here too) does not load it.

/**
 * @param {string | URL} wasmUrl
 * @param {(reason: Error) => void} onExit called if the Go program ever stops
 * @returns {Promise<Record<string, Function>>}
 */
export async function startModule(wasmUrl, onExit) {
  const [wasm] = await Promise.all([compile(wasmUrl), import('../dist/wasm_exec.js')]);
  const go = new globalThis.Go();
  const ready = new Promise((resolve) => {
    globalThis.__goxmtpReady = resolve;
  });
  const instance = await WebAssembly.instantiate(wasm, go.importObject);
  go.run(instance).then(
    () => onExit(codedError('internal.exited', 'goxmtp: the wasm module stopped')),
    (err) => onExit(codedError('internal.exited', `goxmtp: the wasm module crashed: ${err}`)),
  );
  return ready;
}

/**
 * Downloads and compiles the wasm, streaming: V8 compiles while the bytes arrive, and Chromium
 * reuses the code it cached for a cacheable response with the same bytes (README.md, "Serving
 * the wasm").
 */
async function compile(wasmUrl) {
  const response = await fetch(wasmUrl);
  if (!response.ok) {
    throw codedError('module.load_failed', `goxmtp: fetching ${wasmUrl} failed with HTTP ${response.status}`);
  }
  // Streaming compilation needs the application/wasm type; fall back when a server omits it.
  if (response.headers.get('content-type') === 'application/wasm') {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/** An Error carrying a stable `code`, the shape every goxmtp failure has. */
export function codedError(code, message, name = 'Error') {
  const err = name === 'TypeError' ? new TypeError(message) : new Error(message);
  err.code = code;
  return err;
}

/** Flattens an error for postMessage, keeping name, code and message. */
export function serializeError(err) {
  return {
    name: err?.name ?? 'Error',
    code: err?.code,
    message: err?.message ?? String(err),
  };
}

/**
 * Rebuilds an error flattened by serializeError. An error that had no code gets
 * fallbackCode: internal.uncoded for what the app sees; the worker passes null for the
 * page's own errors (a signer's refusal), which the module then codes itself.
 */
export function deserializeError(e, fallbackCode = 'internal.uncoded') {
  return codedError(e.code ?? fallbackCode, e.message, e.name);
}
