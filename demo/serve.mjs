// `make demo`: builds and starts the local XMTP node, waits until it answers, then serves the
// demo app on http://localhost:8080. The app imports the goxmtp package from node_modules,
// exactly as a third-party app without a bundler would. Ctrl-C stops the app and the node.
//
// Environment (for tests and for running beside another node):
//   DEMO_PORT            port of the app (8080; 0 picks a free one)
//   DEMO_NODE_URL        use the node already serving gRPC-web at this URL; start none
//   DEMO_NODE_WEB_ADDR   gRPC-web address of the started node (127.0.0.1:5557, XMTP's "local")
//   DEMO_NODE_GRPC_ADDR  gRPC address of the started node (127.0.0.1:5556; empty disables it)
//   DEMO_DATA_DIR        the node's SQLite folder (data/node under the repository)
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { serveStatic } from '../js/scripts/serve.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const env = process.env;

let node;
let server;
let stopping = false;

/** Stops the app server, then the node (SIGTERM lets it drain), then this process. */
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  await server?.close();
  if (node && node.exitCode === null && node.signalCode === null) {
    const exited = new Promise((ok) => node.once('exit', ok));
    node.kill('SIGTERM');
    await exited;
  }
  process.exit(code);
}
// Whatever ends this process (a failed build, an exception) must not leave the node running.
process.on('exit', () => node?.kill('SIGTERM'));

async function startNode() {
  const bin = join(root, '.bin', 'xmtpnode');
  console.log('goxmtp demo: building the local node…');
  await promisify(execFile)('go', ['build', '-o', bin, './node/cmd/xmtpnode'], { cwd: root });
  const webAddr = env.DEMO_NODE_WEB_ADDR ?? '127.0.0.1:5557';
  const dataDir = resolve(root, env.DEMO_DATA_DIR ?? 'data/node');
  // Its own process group: Ctrl-C reaches this script only, which then stops the node in order.
  node = spawn(bin, ['-data-dir', dataDir, '-web-addr', webAddr, '-grpc-addr', env.DEMO_NODE_GRPC_ADDR ?? '127.0.0.1:5556'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  // A node that dies on its own leaves the app useless: say so and stop everything.
  node.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`goxmtp demo: the node exited (${signal ?? `code ${code}`}); stopping`);
    shutdown(1);
  });
  const url = `http://${webAddr}`;
  await waitForHealth(url);
  console.log(`goxmtp demo: node ${node.pid} serving gRPC-web on ${url}, data in ${dataDir}`);
  return url;
}

/** Polls the node's /health until it answers 200 (the database is open and the ports listen). */
async function waitForHealth(url) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the node at ${url} did not become healthy within 60 s`);
    await new Promise((ok) => setTimeout(ok, 200));
  }
}

const nodeUrl = (env.DEMO_NODE_URL || (await startNode())).replace(/\/$/, '');
server = await serveStatic(
  { '/': `${root}/demo/app`, '/node_modules/': `${root}/node_modules` },
  { port: Number(env.DEMO_PORT ?? 8080) },
);
// The app talks to XMTP's "local" endpoint unless its URL names another node.
const isLocalDefault = ['http://localhost:5557', 'http://127.0.0.1:5557'].includes(nodeUrl);
const appUrl = `http://localhost:${new URL(server.url).port}/${isLocalDefault ? '' : `?node=${encodeURIComponent(nodeUrl)}`}`;
console.log(`goxmtp demo: open ${appUrl} (Ctrl-C to stop)`);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => shutdown(0));
