// Runs Go tests compiled for js/wasm inside headless Chromium: packages whose code needs a
// real browser (fetch, WebSocket, IndexedDB) are tested where they run. Each binary is built
// with `go test -c`, served with Go's wasm_exec.js on a loopback port, and run in a page with
// Go's test flags as argv and the given environment; its output streams to the Node test log
// and a non-zero exit fails the Node test.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serveStatic } from '../../scripts/serve.mjs';

const run = promisify(execFile);
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Builds the test binaries of `pkgs` (Go package patterns such as './wasm/transport') and
 * serves them; resolves with {url, binary(pkg), close}. binary(pkg) is the URL path of a
 * package's test binary.
 */
export async function serveGoTests(pkgs) {
  const dir = await mkdtemp(join(tmpdir(), 'gotest-'));
  const goroot = (await run('go', ['env', 'GOROOT'])).stdout.trim();
  const names = new Map();
  for (const pkg of pkgs) {
    const name = `${pkg.replace(/[^A-Za-z0-9]+/g, '_')}.wasm`;
    await run('go', ['test', '-c', '-o', join(dir, name), pkg], {
      cwd: repoRoot,
      env: { ...process.env, GOOS: 'js', GOARCH: 'wasm' },
      maxBuffer: 16 << 20,
    });
    names.set(pkg, `/__gotest/${name}`);
  }
  const server = await serveStatic({
    '/': repoRoot,
    '/__gotest/': dir,
    '/__goroot/': join(goroot, 'lib', 'wasm'),
  });
  return {
    url: server.url,
    binary(pkg) {
      const path = names.get(pkg);
      if (!path) throw new Error(`gotest: ${pkg} was not built`);
      return path;
    },
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs one served test binary in a new page of `context` (a Playwright browser context) and
 * resolves with {code, lines} when the Go program exits. `args` are Go test flags
 * (-test.v is always passed, and fuzz targets are skipped: their seed corpus lives on a
 * file system the page does not have, and they run natively anyway), `env` becomes the program's environment, `onLine` sees each
 * output line as it comes (default: printed to the log). Rejects when the binary fails,
 * unless `allowFailure` is set, or when it runs longer than `timeoutMs`.
 */
export async function runGoTest(context, served, pkg, { args = [], env = {}, timeoutMs = 120_000, onLine, allowFailure = false } = {}) {
  const page = await context.newPage();
  const lines = [];
  const print = onLine ?? ((line) => console.log(`  [${pkg}] ${line}`));
  page.on('console', (msg) => {
    for (const line of msg.text().split('\n')) {
      lines.push(line);
      print(line);
    }
  });
  page.on('pageerror', (err) => print(`[page error] ${err.message}`));
  try {
    const query = new URLSearchParams({
      wasm: served.binary(pkg),
      args: JSON.stringify(['-test.v', '-test.skip', '^Fuzz', ...args]),
      env: JSON.stringify(env),
    });
    await page.goto(`${served.url}/js/test/pages/gotest.html?${query}`);
    const handle = await page.waitForFunction(() => window.__gotest, null, { timeout: timeoutMs, polling: 100 });
    const { code } = await handle.jsonValue();
    if (code !== 0 && !allowFailure) {
      const tail = lines.slice(-40).join('\n');
      throw new Error(`go test ${pkg} in Chromium exited with ${code}:\n${tail}`);
    }
    return { code, lines };
  } finally {
    await page.close();
  }
}
