// What the API shape tests share: the client site (a real xmtpnode, Chromium, the package) and
// one page holding two new clients, window.a and window.b, each with an in-memory database.
import { after, before } from 'node:test';
import { openPage } from './browser.mjs';
import { startClientSite } from './clientsite.mjs';

/** Starts the site and the page; resolves with {page, stop}. The page also holds window.apiUrl. */
async function startTwoClients() {
  const env = await startClientSite();
  try {
    const context = await env.browser.newContext();
    const page = await openPage(context, `${env.site.url}/client.html`);
    await page.waitForFunction(() => window.pageReady);
    await page.evaluate(async (apiUrl) => {
      const { generatePrivateKey } = await import('/lib/wallet.js');
      window.apiUrl = apiUrl;
      const make = () => goxmtp.Client.create(signerOf(generatePrivateKey()), { env: 'local', apiUrl, dbPath: null });
      [window.a, window.b] = await Promise.all([make(), make()]);
    }, env.node.url);
    return { page, stop: env.stop };
  } catch (err) {
    await env.stop();
    throw err;
  }
}

/**
 * Registers the test file's before and after hooks around startTwoClients; the object it
 * returns has page once the hook ran.
 */
export function twoClients() {
  const site = {};
  before(async () => Object.assign(site, await startTwoClients()));
  after(() => site.stop?.());
  return site;
}
