// wasm/transport's Go tests, compiled to js/wasm and run inside headless Chromium against a
// real node process: gRPC-web over fetch (unary, server streams, cancellation, timeouts,
// errors) and the node's WebSocket subscriptions.
import { after, before, test } from 'node:test';
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { launchChromium } from './support/browser.mjs';
import { repoRoot, runGoTest, serveGoTests } from './support/gotest.mjs';

const pkg = './wasm/transport';
let node;
let served;
let browser;

/** Builds and starts xmtpnode on a free loopback port; resolves with {url, stop}. */
async function startNode() {
  const dir = await mkdtemp(join(tmpdir(), 'xmtpnode-'));
  const bin = join(dir, 'xmtpnode');
  await promisify(execFile)('go', ['build', '-o', bin, './node/cmd/xmtpnode'], { cwd: repoRoot });
  const proc = spawn(bin, [
    '-data-dir', join(dir, 'data'), '-grpc-addr', '', '-web-addr', '127.0.0.1:0',
    '-log-json', '-read-rate', '-1', '-write-rate', '-1',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  const addr = await new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`xmtpnode exited with ${code} before serving`)));
    createInterface({ input: proc.stderr }).on('line', (line) => {
      try {
        const rec = JSON.parse(line);
        if (rec.msg === 'serving') resolve(rec.addr);
      } catch {
        console.error(`[xmtpnode] ${line}`);
      }
    });
  });
  return {
    url: `http://${addr}`,
    async stop() {
      const exited = new Promise((ok) => proc.once('exit', ok));
      proc.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A loopback URL where nothing listens: a port that was just free. */
async function closedURL() {
  const srv = createServer();
  await new Promise((ok) => srv.listen(0, '127.0.0.1', ok));
  const { port } = srv.address();
  await new Promise((ok) => srv.close(ok));
  return `http://127.0.0.1:${port}`;
}

before(async () => {
  [node, served, browser] = await Promise.all([startNode(), serveGoTests([pkg]), launchChromium()]);
});

after(async () => {
  await browser?.close();
  await served?.close();
  await node?.stop();
});

test('wasm/transport Go tests pass in Chromium against a node process', { timeout: 180_000 }, async () => {
  const context = await browser.newContext();
  try {
    await runGoTest(context, served, pkg, { env: { XMTP_NODE_URL: node.url, XMTP_CLOSED_URL: await closedURL() } });
  } finally {
    await context.close();
  }
});
