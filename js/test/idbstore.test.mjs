// idbstore's Go tests, compiled to js/wasm and run in headless Chromium on real IndexedDB:
// the core/storetest conformance suite (with an app key and with a wrapped one), wrong keys,
// the raw database contents, tampering, the schema fixture, then what needs more than one
// page: the Web Lock between two pages of one browser context, persistence across a reload
// and across a browser restart (the store benchmarks are in js/bench/idbstore.bench.mjs).
// IDBSTORE_WRITE_FIXTURE=1 rewrites idbstore/testdata/v1.json instead.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchChromium, withDiskProfile } from './support/browser.mjs';
import { repoRoot, runGoTest, serveGoTests } from './support/gotest.mjs';

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

/** Runs fn with a new browser context (a fresh profile, its storage in memory). */
async function withContext(fn) {
  const context = await browser.newContext();
  try {
    return await fn(context);
  } finally {
    await context.close();
  }
}


/** Runs one Go test function of the package in a new page of context. */
function runOne(context, name, env = {}, onLine) {
  return runGoTest(context, served, pkg, { args: ['-test.run', `^${name}$`], env, onLine });
}

const writeFixture = Boolean(process.env.IDBSTORE_WRITE_FIXTURE);

test('idbstore Go tests pass in Chromium', { timeout: 300_000, skip: writeFixture }, () =>
  withContext((context) => runGoTest(context, served, pkg, { timeoutMs: 280_000 })));

test('a second page gets store.locked within a second, and can take the database over', { timeout: 120_000, skip: writeFixture }, () =>
  withContext(async (context) => {
    const env = { IDBSTORE_OWNER_DB: 'idbstore-two-pages', IDBSTORE_CONTENDER_DB: 'idbstore-two-pages' };
    let ready;
    const owning = new Promise((ok) => { ready = ok; });
    const owner = runOne(context, 'TestPageOwner', env, (line) => {
      console.log(`  [owner] ${line}`);
      if (line === 'OWNER_READY') ready();
    });
    await Promise.race([owning, owner]);
    await runOne(context, 'TestPageContender', env);
    await owner;
  }));

const persist = (step) => ({ IDBSTORE_PERSIST_DB: 'idbstore-persist', IDBSTORE_PERSIST_STEP: step });

test('a database survives a page reload', { timeout: 120_000, skip: writeFixture }, () =>
  withContext(async (context) => {
    await runOne(context, 'TestPagePersist', persist('write'));
    await runOne(context, 'TestPagePersist', persist('read'));
  }));

test('a database survives a browser restart', { timeout: 120_000, skip: writeFixture }, () =>
  withDiskProfile(async (launch) => {
    await launch((context) => runOne(context, 'TestPagePersist', persist('write')));
    await launch((context) => runOne(context, 'TestPagePersist', persist('read')));
  }));

test('write the version 1 fixture', { timeout: 120_000, skip: !writeFixture }, () =>
  withContext(async (context) => {
    let fixture;
    await runOne(context, 'TestWriteFixture', { IDBSTORE_WRITE_FIXTURE: '1' }, (line) => {
      if (line.startsWith('FIXTURE ')) fixture = line.slice('FIXTURE '.length);
    });
    assert.ok(fixture, 'the page printed a fixture');
    await writeFile(join(repoRoot, 'idbstore/testdata/v1.json'), `${JSON.stringify(JSON.parse(fixture), null, 1)}\n`);
  }));
