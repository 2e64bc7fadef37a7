// What the goxmtp browser benchmarks share: a real xmtpnode child process, the benchmark page
// served beside the package, the native crowd (js/bench/crowd: Go clients that register
// members and send messages far faster than pages could), and a meter of the CPU time
// Chromium spends.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { openPage } from '../../test/support/browser.mjs';
import { repoRoot } from '../../test/support/gotest.mjs';
import { startNode } from '../../test/support/node.mjs';
import { serveStatic } from '../../scripts/serve.mjs';

/** BENCHCOUNT (default 5): how many samples each figure is the median of. */
export const runs = Number(process.env.BENCHCOUNT ?? 5);
/** BENCHQUICK=1: smaller workloads, for a full `make bench` on a loaded machine. */
export const quick = process.env.BENCHQUICK === '1';

/**
 * Starts the crowd against the node at apiUrl; resolves with {call(request), close()}: call
 * sends one request ({op, …}, see js/bench/crowd) and resolves with its answer.
 */
async function startCrowd(dir, apiUrl) {
  const bin = join(dir, 'crowd');
  await promisify(execFile)('go', ['build', '-o', bin, './js/bench/crowd'], { cwd: repoRoot });
  const proc = spawn(bin, ['-api', apiUrl], { stdio: ['pipe', 'pipe', 'inherit'] });
  const answers = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  let queue = Promise.resolve();
  const call = (request) => {
    const answer = queue.then(async () => {
      proc.stdin.write(`${JSON.stringify(request)}\n`);
      const { value, done } = await answers.next();
      if (done) throw new Error(`crowd exited during ${request.op}`);
      const a = JSON.parse(value);
      if (a.error) throw new Error(`crowd ${request.op}: ${a.error}`);
      return a;
    });
    queue = answer.catch(() => {});
    return answer;
  };
  const close = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((ok) => proc.once('exit', ok));
    proc.stdin.end();
    await exited;
  };
  return { call, close };
}

/**
 * Starts the node, the site (the benchmark page at /bench.html, the package at /js/) and the
 * crowd; resolves with {node, site, crowd, close()}.
 */
export async function startBench() {
  const dir = await mkdtemp(join(tmpdir(), 'goxmtp-bench-'));
  const [node, site] = await Promise.all([
    startNode(),
    serveStatic({ '/': join(repoRoot, 'js/bench/pages'), '/js/': join(repoRoot, 'js') }),
  ]);
  const stop = async () => {
    await site.close();
    await node.stop();
    await rm(dir, { recursive: true, force: true });
  };
  let crowd;
  try {
    crowd = await startCrowd(dir, node.url);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    node,
    site,
    crowd,
    async close() {
      await crowd.close();
      await stop();
    },
  };
}

/** Opens the benchmark page in context and waits for it to have imported the package. */
export async function openBenchPage(context, site) {
  const page = await openPage(context, `${site.url}/bench.html`);
  await page.waitForFunction(() => window.benchReady === true);
  return page;
}

/**
 * A CPU meter of browser's processes: resolves with timed(fn), which runs fn and resolves with
 * {value, renderer_cpu_ms, chromium_cpu_ms}: fn's value and the milliseconds of CPU used
 * meanwhile by the renderers (the pages and the package's worker) and by all of Chromium's
 * processes (with the browser process, where IndexedDB and the network run). Chromium counts
 * in 10 ms steps.
 */
export async function cpuMeter(browser) {
  const session = await browser.newBrowserCDPSession();
  const totals = async () => {
    const { processInfo } = await session.send('SystemInfo.getProcessInfo');
    const sum = (ps) => ps.reduce((s, p) => s + p.cpuTime * 1000, 0);
    return { renderer: sum(processInfo.filter((p) => p.type === 'renderer')), all: sum(processInfo) };
  };
  return async (fn) => {
    const before = await totals();
    const value = await fn();
    const after = await totals();
    return { value, renderer_cpu_ms: after.renderer - before.renderer, chromium_cpu_ms: after.all - before.all };
  };
}

/** A new goxmtp local wallet made in page: {privateKey, address}. */
export const newWallet = (page) => page.evaluate(async () => {
  const { privateKey, address } = await goxmtp.createLocalWallet();
  return { privateKey, address };
});

/** Client.create in page for wallet with options; the client becomes window.client. */
export const createClient = (page, wallet, apiUrl, options = {}) => page.evaluate(async ({ wallet, apiUrl, options }) => {
  window.client = await goxmtp.Client.create(signerOf(wallet.address, wallet.privateKey), { env: 'local', apiUrl, ...options });
  return client.inboxId;
}, { wallet, apiUrl, options });
