// A consumer app as a bundler user writes it: the package imported by name, nothing else.
import { configure, version } from 'goxmtp';

// esbuild leaves `new URL(…, import.meta.url)` alone, so its users point the package at the
// wasm they copied (Vite rewrites the URL itself and needs no configuration).
if (globalThis.GOXMTP_WASM_URL) configure({ wasmUrl: globalThis.GOXMTP_WASM_URL });

try {
  window.__result = { ok: true, info: await version() };
} catch (err) {
  window.__result = { ok: false, code: err.code, message: err.message };
}
