// idbstore's Go tests, compiled to js/wasm and run in headless Chromium on real IndexedDB:
// the core/storetest conformance suite (with an app key and with a wrapped one), wrong keys,
// the raw database contents, the schema fixture, then what needs more than one page: the
// Web Lock between two pages of one browser context, and persistence across a reload.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium } from './support/browser.mjs';
import { runGoTest, serveGoTests } from './support/gotest.mjs';

const pkg = './idbstore';
let served;
let browser;

before(async () => {
  [served, browser] = await Promise.all([serveGoTests([pkg]), launchChromium()]);
});

after(async () => {
  await browser?.close();
  await served?.close();
});

/** Runs fn with a new browser context (a fresh profile: its own origin storage). */
async function withContext(fn) {
  const context = await browser.newContext();
  try {
    return await fn(context);
  } finally {
    await context.close();
  }
}

test('idbstore Go tests pass in Chromium', { timeout: 300_000 }, () =>
  withContext((context) => runGoTest(context, served, pkg, { timeoutMs: 280_000 })));
