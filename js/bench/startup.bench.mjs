// Browser benchmark: time from navigation start to the module's first answer (version()), in
// a Web Worker and on the main thread, fresh browser context each run. Prints one JSON array.
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/support/browser.mjs';
import { serveStatic } from '../scripts/serve.mjs';
import { runs } from './support/harness.mjs';
import { row } from './support/stats.mjs';

const server = await serveStatic(fileURLToPath(new URL('../../', import.meta.url)));
const browser = await launchChromium();
const results = [];
try {
  for (const [mode, query] of [['worker', ''], ['main-thread', '?worker=0']]) {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}/js/test/pages/slice.html${query}`);
      await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 30_000 });
      const r = await page.evaluate(() => window.__result);
      if (!r.ok) throw new Error(`startup failed: ${r.code} ${r.message}`);
      samples.push(r.msToAnswer);
      await context.close();
    }
    results.push(row(`BrowserStartupToFirstAnswer/${mode}`, samples.map((ms) => ({ ms }))));
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(results));
