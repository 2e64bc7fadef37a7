// Debian's Chromium driven by playwright-core, with the flags this project's machines need
// (no sandbox as root, no GPU, no background network traffic to hosts that cannot be reached).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: chromiumFlags,
  });
}

/** Opens a page that forwards its console errors and page errors to the test log. */
export async function openPage(context, url) {
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.error(`[console] ${msg.text()}`);
  });
  await page.goto(url);
  return page;
}

/**
 * Runs fn with a temporary profile directory; fn opens browsers on it with launch(), each
 * one a browser start on the same on-disk storage, where IndexedDB's flushes are real.
 */
export async function withDiskProfile(fn) {
  const dir = await mkdtemp(join(tmpdir(), 'goxmtp-profile-'));
  const launch = async (use) => {
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: chromiumFlags,
    });
    try {
      return await use(context);
    } finally {
      await context.close();
    }
  };
  try {
    return await fn(launch);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
