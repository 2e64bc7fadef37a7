// The vertical slice: a page imports the goxmtp package as an app would, the package starts the
// Go wasm module (in a Web Worker, and on the main thread when asked) and the call answers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { launchChromium } from './support/browser.mjs';
import { serveStatic } from '../scripts/serve.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
let server;
let browser;

before(async () => {
  server = await serveStatic(repoRoot);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function loadSlice(query) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/js/test/pages/slice.html${query}`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 30_000 });
    return await page.evaluate(() => window.__result);
  } finally {
    await context.close();
  }
}

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

for (const [name, query] of [['in a Web Worker', ''], ['on the main thread', '?worker=0']]) {
  test(`version() answers ${name}`, async () => {
    const result = await loadSlice(query);
    assert.equal(result.ok, true, `call failed: ${result.code} ${result.message}`);
    assert.equal(result.info.version, pkg.version);
    assert.equal(result.info.ciphersuite, 'MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519');
    assert.equal(result.info.ciphersuiteId, 3);
  });
}
