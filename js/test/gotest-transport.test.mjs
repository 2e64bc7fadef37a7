// wasm/transport's Go tests, compiled to js/wasm and run inside headless Chromium against a
// real node process: gRPC-web over fetch (unary, server streams, cancellation, timeouts,
// errors) and the node's WebSocket subscriptions. Then both stream transports are measured:
// send-to-receive latency, and whether unary calls still complete while four tabs of one
// browser profile hold their streams (browsers allow six HTTP/1.1 connections per origin).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { createServer as createHTTPServer, request } from 'node:http';
import { launchChromium } from './support/browser.mjs';
import { runGoTest, serveGoTests } from './support/gotest.mjs';
import { startNode } from './support/node.mjs';

const pkg = './wasm/transport';
let node;
let served;
let browser;

/** A loopback URL where nothing listens: a port that was just free. */
async function closedURL() {
  const srv = createServer();
  await new Promise((ok) => srv.listen(0, '127.0.0.1', ok));
  const { port } = srv.address();
  await new Promise((ok) => srv.close(ok));
  return `http://127.0.0.1:${port}`;
}

/**
 * A gRPC-web-only reverse proxy to target, like the envoy in front of XMTP's hosted nodes:
 * HTTP requests and streamed responses pass through, WebSocket handshakes get a 404.
 */
async function startGRPCWebProxy(target) {
  const proxy = createHTTPServer((req, res) => {
    const upstream = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  proxy.on('upgrade', (req, socket) => socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n'));
  await new Promise((ok) => proxy.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${proxy.address().port}`,
    close: () => new Promise((ok) => {
      proxy.closeAllConnections();
      proxy.close(ok);
    }),
  };
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
  const proxy = await startGRPCWebProxy(node.url);
  // The Go tests print RESTART_NODE, PAUSE_NODE and RESUME_NODE to have the node restarted,
  // frozen or thawed under their streams.
  const onLine = (line) => {
    console.log(`  [${pkg}] ${line}`);
    if (line === 'RESTART_NODE') node.restart().catch((err) => console.error(`restart failed: ${err}`));
    if (line === 'PAUSE_NODE') node.pause();
    if (line === 'RESUME_NODE') node.resume();
  };
  try {
    const env = {
      XMTP_NODE_URL: node.url,
      XMTP_CLOSED_URL: await closedURL(),
      XMTP_RESTARTABLE: '1',
      XMTP_GRPCWEB_ONLY_URL: proxy.url,
    };
    await runGoTest(context, served, pkg, { env, onLine });
  } finally {
    await context.close();
    await proxy.close();
  }
});

/** Collects the MEASURE lines the Go measurement tests print. */
function collector() {
  const results = [];
  return {
    results,
    onLine(line) {
      const m = /^MEASURE (.*)$/.exec(line);
      if (m) {
        results.push(JSON.parse(m[1]));
        console.log(`  ${line}`);
      }
    },
  };
}

async function until(cond, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

test('stream transports measured: latency, and unary calls with four tabs streaming', { timeout: 180_000 }, async () => {
  const figures = {};
  for (const streams of ['grpcweb', 'websocket']) {
    const env = { XMTP_NODE_URL: node.url, XMTP_MEASURE_STREAMS: streams, XMTP_HOLD_MS: '60000' };
    const { results, onLine } = collector();
    const context = await browser.newContext();
    try {
      await runGoTest(context, served, pkg, { args: ['-test.run', '^TestMeasureLatency$'], env, onLine });
      // Four tabs of one profile, each holding a group and a welcome stream; a fifth page
      // of the same profile then makes unary calls.
      const tabs = Array.from({ length: 4 }, () =>
        runGoTest(context, served, pkg, { args: ['-test.run', '^TestHoldStreams$'], env, onLine }).catch(() => {}));
      await until(() => results.filter((r) => r.measure === 'hold').length === 4, 60_000);
      await runGoTest(context, served, pkg, { args: ['-test.run', '^TestMeasureUnaryUnderLoad$'], env, onLine });
      await context.close(); // ends the tabs that still hold their streams
      await Promise.all(tabs);
    } finally {
      await context.close();
    }
    const latency = results.find((r) => r.measure === 'latency');
    const unary = results.find((r) => r.measure === 'unary_under_load');
    figures[streams] = {
      send_to_receive_p50_ms: latency.send_to_receive_p50_ms,
      send_to_receive_p95_ms: latency.send_to_receive_p95_ms,
      streams_opened_of_8: results.filter((r) => r.measure === 'hold').reduce((n, r) => n + r.opened, 0),
      unary_completed: `${unary.completed}/${unary.calls}`,
    };
  }
  console.log(`stream transports: ${JSON.stringify(figures, null, 2)}`);
  // WebSocket subscriptions do not hold HTTP connections: calls must go through.
  assert.equal(figures.websocket.unary_completed, '3/3');
  assert.equal(figures.websocket.streams_opened_of_8, 8);
});
