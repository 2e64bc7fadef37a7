// idbstore's Go tests, compiled to js/wasm and run in headless Chromium on real IndexedDB:
// the core/storetest conformance suite (with an app key and with a wrapped one), wrong keys,
// the raw database contents, tampering, the schema fixture, then what needs more than one
// page: the Web Lock between two pages of one browser context, persistence across a reload
// and across a browser restart, and the store benchmarks (storetest.Bench, and reopening a
// database). IDBSTORE_WRITE_FIXTURE=1 rewrites idbstore/testdata/v1.json instead.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumFlags, launchChromium } from './support/browser.mjs';
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

/**
 * Runs fn with a temporary profile directory; fn opens browsers on it with launch(), each
 * one a browser start on the same on-disk storage, where IndexedDB's flushes are real.
 */
async function withDiskProfile(fn) {
  const dir = await mkdtemp(join(tmpdir(), 'idbstore-profile-'));
  const launch = async (use) => {
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: chromiumFlags,
    });
    try {
      return await use(context);
    } finally {
      await context.close();
    }
  };
  try {
    return await fn(launch);
  } finally {
    await rm(dir, { recursive: true, force: true });
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

test('store benchmarks in Chromium, profile on disk', { timeout: 300_000, skip: writeFixture }, () =>
  withDiskProfile((launch) => launch(async (context) => {
    const figures = {};
    const onLine = (line) => {
      console.log(`  [bench] ${line}`);
      const m = /^Benchmark((?:Store|Reopen)\/\w+)\S*\s+\d+\s+(\d+) ns\/op/.exec(line);
      if (m) figures[m[1]] = `${(Number(m[2]) / 1e6).toFixed(1)} ms/op`;
    };
    await runGoTest(context, served, pkg, {
      args: ['-test.run', '^$', '-test.bench', '^Benchmark(Store|Reopen)$', '-test.benchtime', '5x'],
      onLine,
      timeoutMs: 280_000,
    });
    console.log(`idbstore in Chromium: ${JSON.stringify(figures)}`);
    for (const name of ['Store/ApplyMessages1000', 'Store/Scan10000', 'Reopen/AppKey', 'Reopen/WrappedKey']) {
      assert.ok(figures[name], `${name} reported`);
    }
  })));

test('write the version 1 fixture', { timeout: 120_000, skip: !writeFixture }, () =>
  withContext(async (context) => {
    let fixture;
    await runOne(context, 'TestWriteFixture', { IDBSTORE_WRITE_FIXTURE: '1' }, (line) => {
      if (line.startsWith('FIXTURE ')) fixture = line.slice('FIXTURE '.length);
    });
    assert.ok(fixture, 'the page printed a fixture');
    await writeFile(join(repoRoot, 'idbstore/testdata/v1.json'), `${JSON.stringify(JSON.parse(fixture), null, 1)}\n`);
  }));
