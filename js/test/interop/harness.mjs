// What every interop test and the benchmark set up: xmtpnode as a child process, the peer
// pages (goxmtp and @xmtp/browser-sdk adapters bundled by esbuild, libxmtp's worker and wasm
// beside them the way the SDK loads them), one headless Chromium, and peers, each a page in
// its own browser context (its own IndexedDB and OPFS) driven through window.peer.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { launchChromium, openPage } from '../support/browser.mjs';
import { repoRoot } from '../support/gotest.mjs';
import { serveStatic } from '../../scripts/serve.mjs';
import { startNode } from '../support/node.mjs';

const here = join(repoRoot, 'js/test/interop');
const sdkDist = join(repoRoot, 'node_modules/@xmtp/browser-sdk/dist');
export const libxmtpWasm = join(repoRoot, 'node_modules/@xmtp/wasm-bindings/dist/bindings_wasm_bg.wasm');
export const goxmtpWasm = join(repoRoot, 'js/dist/goxmtp.wasm');
/** The test-only module with the goxmtp_testhooks tag (make wasm-testhooks), served as /testhooks/goxmtp.wasm. */
export const testhooksWasm = join(repoRoot, 'build/testhooks/goxmtp.wasm');

/** A new wallet key, 0x-hex. */
export const newKey = () => `0x${randomBytes(32).toString('hex')}`;

async function buildBundle(dir) {
  const common = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'warning' };
  await esbuild.build({
    ...common,
    entryPoints: [join(here, 'goxmtp.js'), join(here, 'libxmtp.js'), join(here, 'crowd.js')],
    outdir: dir,
    external: ['/js/index.js'],
  });
  await esbuild.build({ ...common, entryPoints: [join(sdkDist, 'workers/client.js')], outfile: join(dir, 'workers/client.js') });
  // The SDK names its worker without an extension; a static host serves that as
  // application/octet-stream, which Chromium refuses for a module worker.
  const page = join(dir, 'libxmtp.js');
  const text = await readFile(page, 'utf8');
  const fixed = text.replace('new URL("./workers/client", import.meta.url)', 'new URL("./workers/client.js", import.meta.url)');
  if (fixed === text) throw new Error('browser-sdk no longer names its worker ./workers/client');
  await writeFile(page, fixed);
  // wasm-bindings fetches its wasm beside the module that imports it: the page and the worker.
  await symlink(libxmtpWasm, join(dir, 'bindings_wasm_bg.wasm'));
  await symlink(libxmtpWasm, join(dir, 'workers/bindings_wasm_bg.wasm'));
}

/**
 * Starts the node, the site and Chromium; resolves with {node, openPeer(sdk, options), close()}.
 * openPeer resolves with a peer: each window.peer method as an async function of Node,
 * plus page and context. options.wasmUrl loads a goxmtp peer's module from another URL, such
 * as '/testhooks/goxmtp.wasm'.
 */
export async function startInterop() {
  const work = await mkdtemp(join(tmpdir(), 'goxmtp-interop-'));
  const bundle = join(work, 'bundle');
  await mkdir(join(bundle, 'workers'), { recursive: true });
  const [node, site, browser] = await Promise.all([
    startNode(),
    buildBundle(bundle).then(() => serveStatic({
      '/': join(here, 'pages'), '/bundle/': bundle, '/js/': join(repoRoot, 'js'), '/testhooks/': join(repoRoot, 'build/testhooks'),
    })),
    launchChromium(),
  ]);

  async function openPeer(sdk, { wasmUrl } = {}) {
    const context = await browser.newContext();
    const query = new URLSearchParams({ sdk, ...(wasmUrl && { wasm: wasmUrl }) });
    const page = await openPage(context, `${site.url}/peer.html?${query}`);
    await page.waitForFunction(() => window.peerReady === true);
    const call = (method) => (...args) => page.evaluate(([m, a]) => window.peer[m](...a), [method, args]);
    /** Loads the page again: what a user's next visit starts from (its storage is kept). */
    const reload = async () => {
      await page.reload();
      await page.waitForFunction(() => window.peerReady === true);
    };
    // "then" stays undefined so that awaiting a peer does not call into the page.
    return new Proxy({ sdk, page, context, reload }, {
      get: (target, key) => (key in target || key === 'then' || typeof key !== 'string' ? target[key] : call(key)),
    });
  }

  return {
    node,
    openPeer,
    async close() {
      await browser.close();
      await site.close();
      await node.stop();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** Polls fn until it returns a truthy value; rejects after timeoutMs naming what it waited for. */
/**
 * Starts an interop network with one registered goxmtp peer and one registered libxmtp peer:
 * {net, gox, lib}, each peer's registration in peer.me.
 */
export async function startPair() {
  const net = await startInterop();
  const [gox, lib] = await Promise.all([net.openPeer('goxmtp'), net.openPeer('libxmtp')]);
  for (const p of [gox, lib]) p.me = await p.create({ key: newKey(), apiUrl: net.node.url });
  return { net, gox, lib };
}

export async function until(what, fn, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 250));
  }
}

/** creator makes a group with members' inboxes and each member joins it; resolves with its id. */
export async function groupOf(creator, members, options) {
  const id = await creator.createGroup(members.map((m) => m.me.inboxId), options);
  await Promise.all(members.map((m) => m.join(id)));
  return id;
}
