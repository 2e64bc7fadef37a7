// The browser module's size budget: brotli (-q 11) must stay below libxmtp's wasm
// (@xmtp/wasm-bindings 1.11.0: 2,901,530 B), the figure users compare us against.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { measure } from '../scripts/size.mjs';

const libxmtpBrotli = 2_901_530;

test('goxmtp.wasm brotli size is below libxmtp wasm', () => {
  const size = measure(readFileSync(new URL('../dist/goxmtp.wasm', import.meta.url)));
  console.log(`goxmtp.wasm: raw ${size.raw} B, gzip ${size.gzip} B, brotli ${size.brotli} B`);
  assert.ok(size.brotli < libxmtpBrotli, `brotli ${size.brotli} B is at or above ${libxmtpBrotli} B`);
});
