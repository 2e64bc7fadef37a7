// What the browser tests of the package as an app use: a real xmtpnode process, headless
// Chromium, and a static site serving js/test/pages with the package under /js/ and the test
// wallet (viem's accounts, bundled into one ES module) under /lib/.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { launchChromium } from './browser.mjs';
import { repoRoot } from './gotest.mjs';
import { startNode } from './node.mjs';
import { serveStatic } from '../../scripts/serve.mjs';

/** Starts the node, the site and Chromium; resolves with {node, site, browser, stop}. */
export async function startClientSite() {
  const work = await mkdtemp(join(tmpdir(), 'goxmtp-site-'));
  const started = {};
  const stop = async () => {
    await started.browser?.close();
    await started.site?.close();
    await started.node?.stop();
    await rm(work, { recursive: true, force: true });
  };
  try {
    await esbuild.build({
      stdin: { contents: "export { privateKeyToAccount, generatePrivateKey } from 'viem/accounts';", resolveDir: repoRoot },
      bundle: true,
      format: 'esm',
      outfile: join(work, 'lib', 'wallet.js'),
      logLevel: 'warning',
    });
    [started.node, started.site, started.browser] = await Promise.all([
      startNode(),
      serveStatic({ '/': join(repoRoot, 'js/test/pages'), '/js/': join(repoRoot, 'js'), '/lib/': join(work, 'lib') }),
      launchChromium(),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { ...started, stop };
}
