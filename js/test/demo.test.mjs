// `make demo` serves a page that loads the module and says it is ready.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './support/browser.mjs';

test('the demo page loads the module and shows ready', async (t) => {
  const demo = spawn(process.execPath, [fileURLToPath(new URL('../../demo/serve.mjs', import.meta.url))], {
    env: { ...process.env, DEMO_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => demo.kill());
  const url = await new Promise((resolve, reject) => {
    demo.stdout.on('data', (d) => {
      const m = d.toString().match(/open (http:\/\/localhost:\d+)/);
      if (m) resolve(m[1]);
    });
    demo.on('exit', (code) => reject(new Error(`demo server exited with ${code}`)));
  });
  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.newPage();
  await page.goto(`${url}/`);
  await page.waitForSelector('#status.ready', { timeout: 30_000 });
  assert.match(await page.textContent('#status'), /Ready: goxmtp \d+\.\d+\.\d+/);
});
