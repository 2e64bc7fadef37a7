// Peer test: two @xmtp/browser-sdk 7.1.0 clients (libxmtp in wasm, speaking gRPC-web) in
// headless Chromium share a group through a goxmtp node started here, and each receives the
// other's text message by sync and by stream.
//
// Usage (from the repository root): node node/peertest/run.mjs
// Prints one line starting with "PEERTEST PASS" or "PEERTEST FAIL" and exits 0 or 1.
// PEERTEST_VERBOSE=1 also prints the browser consoles.
//
// The node, the static server and Chromium are the browser tests' own (js/test/support,
// js/scripts/serve.mjs).
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { serveStatic } from "../../js/scripts/serve.mjs";
import { launchChromium } from "../../js/test/support/browser.mjs";
import { startNode } from "../../js/test/support/node.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const verbose = !!process.env.PEERTEST_VERBOSE;
const deadline = Date.now() + Number(process.env.PEERTEST_TIMEOUT_MS || 240_000);
const work = mkdtempSync(join(tmpdir(), "peertest-"));
const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

const cleanups = [];
async function finish(ok, message) {
  console.log(`PEERTEST ${ok ? "PASS" : "FAIL"}: ${message} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  for (const c of cleanups.reverse()) await c().catch(() => {});
  rmSync(work, { recursive: true, force: true });
  process.exit(ok ? 0 : 1);
}

// waitFor polls fn until it returns a truthy value or the test's deadline passes.
async function waitFor(what, fn, everyMs = 250) {
  while (Date.now() < deadline) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// buildPage bundles the page and the SDK's two workers the way the SDK loads them: workers at
// extension-less paths beside the page bundle, the libxmtp wasm next to each bundle.
async function buildPage() {
  const dist = join(work, "dist");
  mkdirSync(join(dist, "workers"), { recursive: true });
  const common = { bundle: true, format: "esm", platform: "browser", target: "es2022", logLevel: "warning" };
  const sdk = join(root, "node_modules/@xmtp/browser-sdk/dist/workers");
  await esbuild.build({ ...common, entryPoints: [join(here, "page.js")], outfile: join(dist, "page.js") });
  await esbuild.build({ ...common, entryPoints: [join(sdk, "client.js")], outfile: join(dist, "workers/client") });
  await esbuild.build({ ...common, entryPoints: [join(sdk, "opfs.js")], outfile: join(dist, "workers/opfs") });
  const wasm = join(root, "node_modules/@xmtp/wasm-bindings/dist/bindings_wasm_bg.wasm");
  cpSync(wasm, join(dist, "bindings_wasm_bg.wasm"));
  cpSync(wasm, join(dist, "workers/bindings_wasm_bg.wasm"));
  writeFileSync(join(dist, "index.html"), '<!doctype html><meta charset="utf-8"><script type="module" src="./page.js"></script>');
  return dist;
}

async function openPeer(browser, site, name) {
  const context = await browser.newContext(); // its own OPFS, so its own database
  const page = await context.newPage();
  page.on("console", (m) => verbose && log(`[${name} ${m.type()}]`, m.text()));
  page.on("pageerror", (e) => log(`[${name} pageerror]`, e.message));
  await page.goto(site + "/index.html");
  await page.waitForFunction(() => window.peerReady === true);
  return page;
}

try {
  const node = await startNode();
  cleanups.push(() => node.stop());
  const api = node.url;
  log("node up at", api);
  // The SDK loads its workers from extension-less paths: they are served as scripts.
  const served = await serveStatic(await buildPage(), { types: { "": "text/javascript" } });
  cleanups.push(() => served.close());
  const site = served.url;
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const [alice, bob] = [await openPeer(browser, site, "alice"), await openPeer(browser, site, "bob")];

  const a = await alice.evaluate((api) => window.peer.create(api), api);
  const b = await bob.evaluate((api) => window.peer.create(api), api);
  log("registered", a.inboxId, b.inboxId);

  const groupId = await alice.evaluate((ids) => window.peer.createGroup(ids), [b.inboxId]);
  await alice.evaluate(() => window.peer.stream());
  await bob.evaluate((id) => window.peer.join(id), groupId);
  await bob.evaluate(() => window.peer.stream());
  log("group", groupId, "joined by bob");

  await alice.evaluate(() => window.peer.send("hello from alice"));
  await bob.evaluate(() => window.peer.send("hello from bob"));

  const checks = [
    ["bob streamed alice's message", bob, () => window.peer.streamedTexts(), "hello from alice"],
    ["alice streamed bob's message", alice, () => window.peer.streamedTexts(), "hello from bob"],
    ["bob synced alice's message", bob, () => window.peer.syncedTexts(), "hello from alice"],
    ["alice synced bob's message", alice, () => window.peer.syncedTexts(), "hello from bob"],
  ];
  for (const [what, page, fn, want] of checks) {
    await waitFor(what, async () => (await page.evaluate(fn)).includes(want));
    log("ok:", what);
  }
  await finish(true, "two browser-sdk 7.1.0 clients exchanged messages through the node by sync and by stream");
} catch (e) {
  await finish(false, e.stack || String(e));
}
