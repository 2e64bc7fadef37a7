// The package works from a bundler: it is packed with `npm pack` as it would be published,
// installed from the tarball into a fresh consumer app, bundled with esbuild and with Vite,
// and each bundle runs in Chromium and gets an answer from the wasm module in its worker.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './support/browser.mjs';
import { serveStatic } from '../scripts/serve.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(here, '../..');
const bin = (name) => join(repoRoot, 'node_modules/.bin', name);
let work;
let browser;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'goxmtp-bundlers-'));
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: join(repoRoot, 'js') })
    .toString().trim().split('\n').pop();
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', join(work, tarball)], { cwd: app });
  cpSync(join(here, 'bundlers/main.js'), join(app, 'main.js'));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Serves dir, opens its index.html and returns what the app reported. */
async function run(dir) {
  const server = await serveStatic(dir);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 60_000 });
    return await page.evaluate(() => window.__result);
  } finally {
    await context.close();
    await server.close();
  }
}

function assertAnswered(result) {
  assert.equal(result.ok, true, `the bundled app failed: ${result.code} ${result.message}`);
  assert.equal(result.info.ciphersuiteId, 3);
}

test('an esbuild bundle of the packed package runs in Chromium', async () => {
  const app = join(work, 'app');
  const out = join(work, 'esbuild-out');
  const pkg = join(app, 'node_modules/goxmtp');
  const esbuild = (entry, file) => execFileSync(bin('esbuild'), [entry, '--bundle', '--format=esm', '--platform=browser',
    '--target=es2022', `--outfile=${join(out, file)}`, '--log-level=warning'], { cwd: app });
  esbuild('main.js', 'main.js');
  // The worker is its own entry point, next to the bundle where the package's
  // new URL('./worker.js', import.meta.url) finds it; the wasm is copied as an asset.
  esbuild(join(pkg, 'src/worker.js'), 'worker.js');
  cpSync(join(pkg, 'dist/goxmtp.wasm'), join(out, 'goxmtp.wasm'));
  writeFileSync(join(out, 'index.html'),
    '<!doctype html><script>globalThis.GOXMTP_WASM_URL = "/goxmtp.wasm"</script><script type="module" src="./main.js"></script>');
  assertAnswered(await run(out));
});

test('a Vite build of the packed package runs in Chromium', async () => {
  const app = join(work, 'app');
  writeFileSync(join(app, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>');
  writeFileSync(join(app, 'vite.config.js'), 'export default { worker: { format: "es" }, logLevel: "warn" };');
  execFileSync(bin('vite'), ['build', '--outDir', join(work, 'vite-out')], { cwd: app });
  assertAnswered(await run(join(work, 'vite-out')));
});
