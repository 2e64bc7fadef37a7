// Browser benchmark, goxmtp beside libxmtp (@xmtp/browser-sdk 7.1.0): both in one headless
// Chromium against one xmtpnode child process, medians of BENCHCOUNT runs (default 5). Each
// row's median holds goxmtp_<figure> and libxmtp_<figure>; a figure that an SDK cannot produce
// yet (a goxmtp feature missing, an interop failure) is null and the reason goes to stderr.
// Prints one JSON array on stdout.
//
// Rows: Client.create of a new wallet, and cold start of a registered one from the browser's
// storage; creating a group of 10, 50 and 200 pre-registered members of the creator's SDK
// (client time, request bytes the creator uploads, time until every member's client has it);
// 200 messages sent one after another until the receiving side has them all, for each sender
// and receiver; the wasm each SDK loads, raw, gzip -9 and brotli -q 11.
import { readFile } from 'node:fs/promises';
import { measure } from '../scripts/size.mjs';
import { goxmtpWasm, libxmtpWasm, newKey, startInterop, until } from '../test/interop/harness.mjs';
import { countingProxy } from '../test/interop/proxy.mjs';
import { quick, runs } from './support/harness.mjs';
import { quantile } from './support/stats.mjs';

const sdks = ['goxmtp', 'libxmtp'];
const log = (...a) => console.error('[interop bench]', ...a);
const results = [];

/**
 * Runs sample(sdk, i) n times for each SDK of only and records the medians of the figures it
 * returns ({figure: number}) in the row called name (made on first use). An SDK's first failure
 * ends its runs and leaves its figures null.
 */
async function row(name, figures, only, n, sample) {
  let r = results.find((x) => x.name === name);
  if (!r) results.push((r = { name, pkg: 'js', platform: 'chromium', runs: n, median: {} }));
  for (const sdk of only) {
    const samples = [];
    try {
      for (let i = 0; i < n; i++) samples.push(await sample(sdk, i));
    } catch (err) {
      log(`${name} ${sdk}: ${err.message.split('\n')[0]}`);
      samples.length = 0;
    }
    for (const f of figures) r.median[`${sdk}_${f}`] = samples.length ? Math.round(quantile(samples.map((x) => x[f]), 0.5)) : null;
  }
  log(name, JSON.stringify(r.median));
}

const net = await startInterop();
const apiUrl = net.node.url;
async function peer(sdk, options = {}) {
  const p = await net.openPeer(sdk);
  p.me = await p.create({ key: newKey(), apiUrl, ...options });
  return p;
}

try {
  await row('InteropClientCreate/new-wallet', ['ms'], sdks, runs, async (sdk) => {
    const p = await net.openPeer(sdk);
    try {
      return { ms: (await p.create({ key: newKey(), apiUrl })).ms };
    } finally {
      await p.context.close();
    }
  });

  await row('InteropClientCreate/cold-start', ['ms'], sdks, runs, async (sdk) => {
    const p = await net.openPeer(sdk);
    try {
      const key = newKey();
      await p.create({ key, apiUrl });
      await p.close();
      await p.reload();
      return { ms: (await p.create({ key, apiUrl })).ms };
    } finally {
      await p.context.close();
    }
  });

  // Senders and receivers of both SDKs, one group per pair; the row is the receiver's.
  const count = quick ? 50 : 200;
  const senders = { goxmtp: await peer('goxmtp'), libxmtp: await peer('libxmtp') };
  for (const to of sdks) {
    const receiver = await peer(to);
    await row(`InteropSend${count}/to=${to}`, ['ms'], sdks, runs, async (from, i) => {
      const sender = senders[from];
      const id = await sender.createGroup([receiver.me.inboxId]);
      await receiver.join(id);
      const t0 = performance.now();
      for (let k = 0; k < count; k++) await sender.sendText(id, `run ${i} message ${k}`);
      await until(`${to} to have ${count} messages`, async () => (await receiver.messages(id)).length >= count, 300_000);
      return { ms: performance.now() - t0 };
    });
    await receiver.context.close();
  }
  for (const p of Object.values(senders)) await p.context.close();

  const wasmSizes = { goxmtp: measure(await readFile(goxmtpWasm)), libxmtp: measure(await readFile(libxmtpWasm)) };
  const wasm = {};
  for (const f of ['raw', 'gzip', 'brotli']) for (const sdk of sdks) wasm[`${sdk}_${f}_bytes`] = wasmSizes[sdk][f];
  results.push({ name: 'InteropWasmSize', pkg: 'js', platform: 'chromium', runs: 1, median: wasm });

  // Groups of members of the creator's SDK, registered beforehand in a crowd page of their own
  // (one SDK at a time: both crowds of 200 in one browser run out of memory); each group size
  // takes the first n. The creator reaches the node through a proxy counting its uploads.
  const sizes = quick ? [10, 50] : [10, 50, 200];
  for (const sdk of sdks) {
    const crowd = await net.openPeer('crowd');
    const proxy = await countingProxy(apiUrl);
    const creator = await peer(sdk, { apiUrl: proxy.url });
    const t = Date.now();
    const members = await crowd.register(sdk, Math.max(...sizes), apiUrl);
    log(`registered ${members.length} ${sdk} members in ${Date.now() - t} ms`);
    for (const n of sizes) {
      // A run of 200 takes goxmtp's members minutes to take in; one run of it, for now.
      await row(`InteropCreateGroup/members=${n}`, ['create_ms', 'upload_bytes', 'all_see_ms'], [sdk], n >= 200 ? 1 : runs, async () => {
        await new Promise((ok) => setTimeout(ok, 500)); // let the creator's background calls settle
        proxy.reset();
        const t0 = performance.now();
        const id = await creator.createGroup(members.slice(0, n));
        const createMs = performance.now() - t0;
        const uploadBytes = proxy.bytesUp;
        await crowd.waitForGroup(sdk, id, members.slice(0, n), 900_000);
        return { create_ms: createMs, upload_bytes: uploadBytes, all_see_ms: performance.now() - t0 };
      });
    }
    await crowd.context.close();
    await creator.context.close();
    await proxy.close();
  }
} catch (err) {
  // What was measured before a browser crash is still worth printing.
  log('stopped early:', err.message.split('\n')[0]);
} finally {
  await net.close();
}
console.log(JSON.stringify(results));
