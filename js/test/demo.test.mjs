// The demo app, driven in headless Chromium the way people use it: clicks and typing in the
// pages of several people (one browser context each, as separate browser profiles are) against a
// real xmtpnode process, reached through a proxy that can refuse messages as a node would.
// Screenshots of the key screens go to build/screenshots/.
//
// Steps that need package features not offered yet are marked `todo`, naming the features; the
// check reads js/index.d.ts, so each step turns on by itself once its features are declared.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { privateKeyToAccount } from 'viem/accounts';
import { launchChromium } from './support/browser.mjs';
import { startNode } from './support/node.mjs';
import { countingProxy } from './interop/proxy.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const shots = join(repoRoot, 'build', 'screenshots');
const timeout = 60_000;

const declarations = await readFile(join(repoRoot, 'js', 'index.d.ts'), 'utf8');
/** The features among `names` that js/index.d.ts does not declare (as a class or a method). */
function undeclared(names) {
  return names.filter((name) => !new RegExp(`class ${name}\\b|\\b${name}\\s*[(<]`).test(declarations));
}

async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

async function healthy(url) {
  try {
    return (await fetch(`${url}/health`)).ok;
  } catch {
    return false;
  }
}

/** Runs demo/serve.mjs and resolves with {url, proc} once it prints the address to open. */
async function startDemo(env) {
  const proc = spawn(process.execPath, [join(repoRoot, 'demo', 'serve.mjs')], {
    env: { ...process.env, DEMO_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/open (http:\/\/localhost:\S+)/);
      if (m) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`demo/serve.mjs exited with ${code}:\n${out}`)));
  });
  proc.stdout.resume();
  return { url, proc };
}

async function screenshot(page, name) {
  await mkdir(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** Clicks a control, failing at once (not after a timeout) when it waits for a package feature. */
async function press(page, selector) {
  const el = page.locator(selector).first();
  await el.waitFor({ timeout });
  const missing = await el.getAttribute('data-unavailable');
  if (missing) throw new Error(`${selector} waits for the package feature ${missing}`);
  await el.click({ timeout });
}

/** Waits until an element matching `selector` contains `text`. */
function seen(page, selector, text) {
  return page.locator(selector, { hasText: text }).first().waitFor({ timeout });
}

before(() => rm(shots, { recursive: true, force: true }));

test('make demo starts the node, serves the app, and stops the node on Ctrl-C', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'goxmtp-demo-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const nodeUrl = `http://127.0.0.1:${await freePort()}`;
  const demo = await startDemo({ DEMO_NODE_WEB_ADDR: nodeUrl.slice(7), DEMO_NODE_GRPC_ADDR: '', DEMO_DATA_DIR: dataDir });
  t.after(() => demo.proc.kill());
  assert.ok(await healthy(nodeUrl), 'the node answers /health once the app is served');
  assert.match(demo.url, /\?node=/, 'a node on another port is named in the URL to open');

  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.newPage();
  await page.goto(demo.url);
  await page.waitForSelector('#status.ready', { timeout });
  assert.match(await page.textContent('#status'), /Ready: goxmtp \d+\.\d+\.\d+/);
  await page.locator('#node-status.online').waitFor({ timeout });
  const create = page.locator('#create-identity');
  await create.waitFor({ timeout });
  // Either usable, or visibly waiting for the package: never a silent dead button.
  if (await create.isDisabled()) assert.equal(await create.getAttribute('title'), 'not available yet');
  await screenshot(page, '01-identity');

  demo.proc.kill('SIGINT');
  const [code] = await once(demo.proc, 'exit');
  assert.equal(code, 0);
  assert.equal(await healthy(nodeUrl), false, 'Ctrl-C stops the node too');
});

// One story in steps, each building on the ones before: people, a group, chat, reactions and
// replies, group administration, the node going away and coming back, a message the node
// refuses until it fails and is retried, a second installation. The app reaches the node
// through a proxy, which refuses messages when a step asks it to.
const story = {};
let browser;
let node;
let proxy;
let broken;

before(async () => {
  node = await startNode();
  proxy = await countingProxy(node.url);
  story.demo = await startDemo({ DEMO_NODE_URL: proxy.url });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await story.demo?.proc.kill();
  await proxy?.close();
  await node?.stop();
});

/** node:test's todo option: the features the package does not declare yet, or false. */
function todoUnless(features) {
  const missing = undeclared([...new Set(features)]);
  return missing.length ? `needs ${missing.join(', ')} from the package` : false;
}

const needed = [];
/** A story step: todo while the package lacks a feature it (or an earlier step) needs. */
function step(name, features, fn) {
  needed.push(...features);
  test(name, { todo: todoUnless(needed) }, async (t) => {
    if (broken) {
      t.skip(`an earlier step failed: ${broken}`);
      return;
    }
    try {
      await fn();
    } catch (err) {
      broken = name;
      // What each person saw when the step failed.
      for (const who of ['alice', 'bob', 'carol']) {
        if (story[who] && !story[who].isClosed()) await screenshot(story[who], `failed-${who}`);
      }
      throw err;
    }
  });
}

/** A fresh Ethereum account, held by the test as a wallet extension holds its keys. */
function newAccount() {
  return privateKeyToAccount(`0x${randomBytes(32).toString('hex')}`);
}

/** A person: a browser context of their own, with `account` injected as an EIP-1193 wallet. */
async function person(name, account) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  if (account) {
    await context.exposeFunction('__testWalletSign', (hex) => account.signMessage({ message: { raw: hex } }));
    await context.addInitScript((address) => {
      window.ethereum = {
        request: async ({ method, params }) => {
          if (method === 'eth_requestAccounts' || method === 'eth_accounts') return [address];
          if (method === 'personal_sign') return window.__testWalletSign(params[0]);
          throw Object.assign(new Error(`the test wallet does not support ${method}`), { code: 4200 });
        },
      };
    }, account.address);
  }
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${name} page error] ${err.message}`));
  // The app logs every error it shows the user.
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.error(`[${name}] ${msg.text()}`);
  });
  await page.goto(story.demo.url);
  await page.waitForSelector('#status.ready', { timeout });
  return page;
}

/** Reads the signed-in person's ids from the account panel. */
async function ids(page) {
  await page.locator('#my-inbox-id').waitFor({ state: 'attached', timeout });
  return {
    address: await page.textContent('#my-address'),
    inboxId: await page.textContent('#my-inbox-id'),
  };
}

/** Sends a message from the composer of the open conversation; it shows at once. */
async function send(page, text) {
  await page.fill('#composer-input', text);
  await press(page, '#send');
  await message(page, text).waitFor({ timeout });
}

function message(page, text) {
  return page.locator('#timeline .message', { hasText: text }).first();
}

step('two people connect their browser wallets', ['Client'], async () => {
  story.aliceAccount = newAccount();
  story.alice = await person('alice', story.aliceAccount);
  await press(story.alice, '#connect-wallet');
  story.bob = await person('bob', newAccount());
  await press(story.bob, '#connect-wallet');
  story.aliceIds = await ids(story.alice);
  story.bobIds = await ids(story.bob);
  assert.match(story.aliceIds.inboxId, /^[0-9a-f]{64}$/);
  assert.notEqual(story.aliceIds.inboxId, story.bobIds.inboxId);
  await screenshot(story.alice, '02-conversations-empty');
});

test('Alice adds a second installation: the same wallet in another browser', { todo: todoUnless(['Client', 'inboxState']) }, async () => {
  assert.ok(story.aliceIds, 'Alice connected her wallet in the first step');
  const laptop = await person('alice-laptop', story.aliceAccount);
  story.laptop = laptop;
  await press(laptop, '#connect-wallet');
  assert.equal((await ids(laptop)).inboxId, story.aliceIds.inboxId);
  await laptop.locator('#me').click();
  await laptop.getByRole('button', { name: 'Show installations' }).click();
  await laptop.locator('#installations li').nth(1).waitFor({ timeout });
  assert.equal(await laptop.locator('#installations li').count(), 2);
  await screenshot(laptop, '03b-second-installation');
});

step('Alice starts a group with Bob by his address, with a name and a permissions preset',
  ['createGroup', 'fetchInboxIdByIdentifier', 'messages', 'consentState'], async () => {
    const { alice } = story;
    await press(alice, '#new-conversation');
    await alice.fill('#new-members', story.bobIds.address);
    await alice.fill('#new-name', 'Weekend trip');
    await alice.fill('#new-description', 'Plans for Saturday');
    await alice.selectOption('#new-permissions', { label: 'Everyone may add members and edit the details' });
    await screenshot(alice, '03-new-group');
    await press(alice, '#create-conversation');
    await seen(alice, '#chat-title', 'Weekend trip');
    await seen(alice, '#conversation-list', 'Weekend trip');
  });

step('they chat live both ways; Bob first sees the group as a request and accepts it',
  ['sendText', 'streamAllMessages', 'updateConsentState'], async () => {
    const { alice, bob } = story;
    await send(alice, 'Hi Bob, are you in?');
    await message(alice, 'Hi Bob').locator('.status.published').waitFor({ timeout });

    await seen(bob, '#request-list', 'Weekend trip');
    const from = await bob.locator('#request-list li', { hasText: 'Weekend trip' }).locator('.from').textContent();
    assert.equal(from, `From ${story.aliceIds.address.slice(0, 6)}…${story.aliceIds.address.slice(-4)}`);
    await screenshot(bob, '04-request');
    await bob.locator('#request-list li', { hasText: 'Weekend trip' }).getByRole('button', { name: 'Accept' }).click();
    const item = bob.locator('#conversation-list li', { hasText: 'Weekend trip' });
    await item.waitFor({ timeout });
    await item.locator('.unread').waitFor({ timeout });
    await item.locator('.conversation').click();
    await message(bob, 'Hi Bob, are you in?').waitFor({ timeout });
    // Opening the conversation marks it read.
    await item.locator('.unread').waitFor({ state: 'detached', timeout });

    await send(bob, 'Count me in!');
    await message(alice, 'Count me in!').waitFor({ timeout });
    assert.match(await message(alice, 'Count me in!').locator('.sender').textContent(), /^0x/);
    assert.match(await alice.textContent('#announcer'), /Count me in!/, 'screen readers hear the arrival');
    await screenshot(alice, '05-chat');
  });

step('Bob reacts to a message and Alice replies to his', ['sendReaction', 'sendReply'], async () => {
  const { alice, bob } = story;
  const hi = message(bob, 'Hi Bob, are you in?');
  await hi.hover();
  await hi.getByRole('button', { name: 'React 👍' }).click();
  await message(alice, 'Hi Bob, are you in?').locator('.chip', { hasText: '👍 1' }).waitFor({ timeout });
  // Pressing his own reaction again takes it back; then he reacts once more.
  await hi.locator('.chip[aria-pressed="true"]', { hasText: '👍' }).click();
  await message(alice, 'Hi Bob, are you in?').locator('.chip').waitFor({ state: 'detached', timeout });
  await hi.hover();
  await hi.getByRole('button', { name: 'React 👍' }).click();
  await message(alice, 'Hi Bob, are you in?').locator('.chip', { hasText: '👍 1' }).waitFor({ timeout });

  const reply = message(alice, 'Count me in!');
  await reply.hover();
  await reply.getByRole('button', { name: 'Reply' }).click();
  await send(alice, 'Great, see you Saturday');
  const received = message(bob, 'Great, see you Saturday');
  await received.waitFor({ timeout });
  assert.match(await received.locator('.quoted').textContent(), /Count me in!/);
  await screenshot(bob, '06-reaction-reply');
});

step('Alice administers the group: metadata, a third member added and removed, an admin, a policy',
  ['members', 'permissions', 'updateName', 'updateDescription', 'updateImageUrl', 'addMembers', 'removeMembers', 'addAdmin', 'updatePermission'], async () => {
    const { alice, bob } = story;
    story.carol = await person('carol', newAccount());
    await press(story.carol, '#connect-wallet');
    const carol = await ids(story.carol);

    await press(alice, '#toggle-details');
    const edit = async (field, value, line) => {
      await alice.fill(field, value);
      await alice.locator(`${field} ~ button`, { hasText: 'Save' }).click();
      await seen(alice, '#timeline .system', line);
    };
    await edit('#group-name', 'Weekend trip 🏕', 'changed the name to “Weekend trip 🏕”');
    await edit('#group-description', 'Saturday, 9:00 at the station', 'changed the description');
    await edit('#group-image', 'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1" fill="%232453c7"/></svg>', 'changed the image URL');
    await seen(bob, '#timeline .system', 'changed the description to “Saturday, 9:00 at the station”');
    await seen(bob, '#chat-title', 'Weekend trip 🏕');

    await alice.fill('#add-members', carol.inboxId);
    await alice.locator('#add-members ~ button', { hasText: 'Add' }).click();
    await seen(bob, '#timeline .system', 'added');
    const bobRow = alice.locator(`#members li[data-inbox-id="${story.bobIds.inboxId}"]`);
    await bobRow.getByRole('button', { name: 'Make admin' }).click();
    await bobRow.locator('.badge', { hasText: 'Admin' }).waitFor({ timeout });
    await alice.selectOption('#policy-updateGroupNamePolicy', { label: 'Super admins' });
    await alice.locator(`#members li[data-inbox-id="${carol.inboxId}"]`).getByRole('button', { name: 'Remove' }).click();
    await seen(bob, '#timeline .system', 'removed');
    // Carol, removed, still reads the history but can no longer write.
    await story.carol.locator('#request-list li', { hasText: 'Weekend trip' }).locator('.conversation').click();
    await seen(story.carol, '#chat-subtitle', 'no longer a member');
    assert.ok(await story.carol.locator('#send').isDisabled());
    await screenshot(alice, '07-group-settings');

    // Bob, now an admin but not a super admin, may no longer rename the group.
    await press(bob, '#toggle-details');
    await bob.locator(`#members li[data-inbox-id="${story.bobIds.inboxId}"] .badge`, { hasText: 'Admin' }).waitFor({ timeout });
    assert.ok(await bob.locator('#group-name ~ button').isDisabled());
    assert.equal(await bob.locator('#policy-updateGroupNamePolicy option:checked').textContent(), 'Super admins');
    await screenshot(bob, '08-group-settings-admin');
  });

step('Bob starts a DM with Alice by her inbox id; she blocks it, then accepts it', ['createDm', 'peerInboxId'], async () => {
  const { alice, bob } = story;
  await press(bob, '#new-conversation');
  await bob.check('#kind-dm');
  await bob.fill('#new-members', story.aliceIds.inboxId);
  await press(bob, '#create-conversation');
  await bob.locator('#chat-subtitle', { hasText: 'Direct message' }).waitFor({ timeout });
  await send(bob, 'Psst, a DM');

  const request = alice.locator('#request-list li', { hasText: 'Psst, a DM' });
  await request.waitFor({ timeout });
  assert.equal(await request.locator('.badge').textContent(), 'DM');
  await request.getByRole('button', { name: 'Block' }).click();
  await request.locator('.muted', { hasText: 'Blocked' }).waitFor({ timeout });
  await screenshot(alice, '09-dm-blocked');
  await request.getByRole('button', { name: 'Accept' }).click();
  const chat = alice.locator('#conversation-list li', { hasText: 'Psst, a DM' });
  await chat.locator('.conversation').click();
  await seen(alice, '#chat-title', story.bobIds.address.slice(0, 6));
  await message(alice, 'Psst, a DM').waitFor({ timeout });
  // Both back to the group for the next step.
  for (const page of [alice, bob]) {
    await page.locator('#conversation-list li', { hasText: 'Weekend trip' }).locator('.conversation').click();
    await seen(page, '#chat-title', 'Weekend trip');
  }
});

step('a message sent while the node is down shows unpublished, then published when it returns', [], async () => {
  const { alice, bob } = story;
  await node.down();
  await alice.locator('#node-status.offline').waitFor({ timeout });
  await send(alice, 'Sent while the node was down');
  const sent = message(alice, 'Sent while the node was down');
  await sent.locator('.status.unpublished').waitFor({ timeout });
  await screenshot(alice, '10-unpublished');

  await node.up();
  await alice.locator('#node-status.online').waitFor({ timeout });
  await sent.locator('.status.published').waitFor({ timeout });
  await message(bob, 'Sent while the node was down').waitFor({ timeout });
  await screenshot(alice, '11-published-after-restart');
});

step('a message the node refuses turns failed; Retry publishes it once the node takes it again', ['retryMessage'], async () => {
  const { alice, bob } = story;
  const text = 'Refused at first';
  // InvalidArgument: a refusal that retrying the same bytes cannot cure (unlike an unreachable node).
  proxy.refuse('SendGroupMessages', 3, 'refused by the test proxy');
  await send(alice, text);
  const sent = message(alice, text);
  await sent.locator('.status.failed').waitFor({ timeout });
  assert.ok(proxy.refused >= 3, `the app published it ${proxy.refused} times before it failed, core's MaxPublishAttempts is 3`);
  await screenshot(alice, '11b-failed');

  proxy.heal();
  await sent.getByRole('button', { name: 'Retry' }).click();
  await sent.locator('.status.published').waitFor({ timeout });
  await screenshot(alice, '11c-retried');
  await message(bob, text).waitFor({ timeout });
  // A message sent after the retry arrives after it: by then a second copy would show too.
  await send(alice, 'And after the retry');
  await message(bob, 'And after the retry').waitFor({ timeout });
  for (const page of [alice, bob]) {
    assert.equal(await page.locator('#timeline .message', { hasText: text }).count(), 1, 'the retried message shows once');
  }
});

test('a new identity from a key kept in the browser, exported to a second browser', { todo: todoUnless(['Client', 'createLocalWallet']) }, async () => {
  const dave = await person('dave');
  await press(dave, '#create-identity');
  const first = await ids(dave);
  // A reload reconnects the identity kept in the browser.
  await dave.reload();
  assert.deepEqual(await ids(dave), first);
  const key = await dave.textContent('#my-private-key');
  const other = await person('dave-other-browser');
  await other.fill('#import-key', key);
  await press(other, '#import-identity');
  assert.deepEqual((await ids(other)).address, first.address);
  assert.equal((await ids(other)).inboxId, first.inboxId);
  await screenshot(other, '12-imported-key');
});

test('the creator of a second group gets its messages live too', { todo: todoUnless(['Client', 'createGroup', 'streamAllMessages']) },
  async () => {
    assert.ok(story.bob && story.bobIds, 'Bob connected in the story');
    const bob = story.bob;
    const { alice } = story;
    await press(alice, '#new-conversation');
    await alice.fill('#new-members', story.bobIds.inboxId);
    await alice.fill('#new-name', 'Stream check');
    await press(alice, '#create-conversation');
    await seen(alice, '#chat-title', 'Stream check');
    await seen(bob, '#request-list', 'Stream check');
    await bob.locator('#request-list li', { hasText: 'Stream check' }).getByRole('button', { name: 'Accept' }).click();
    await bob.locator('#conversation-list li', { hasText: 'Stream check' }).locator('.conversation').click();
    await send(bob, 'Do you hear me?');
    await message(alice, 'Do you hear me?').waitFor({ timeout });
  });

test('a second tab of the same profile takes the identity over, and the first tab says so',
  { todo: todoUnless(['Client']) }, async () => {
    assert.ok(story.aliceIds, 'Alice connected in the story');
    const tab = await story.alice.context().newPage();
    await tab.goto(story.demo.url);
    await press(tab, '#take-over');
    assert.equal((await ids(tab)).inboxId, story.aliceIds.inboxId);
    await seen(story.alice, '#identity-screen h2', 'Opened in another tab');
    await screenshot(story.alice, '13-opened-in-another-tab');
  });

test('from her laptop, Alice revokes the installation of her first browser',
  { todo: todoUnless(['Client', 'inboxState', 'revokeInstallations']) }, async () => {
    const { laptop } = story;
    assert.ok(laptop, 'the laptop installation exists');
    laptop.once('dialog', (dialog) => dialog.accept());
    const other = laptop.locator('#installations li', { hasNotText: 'this browser' });
    await other.getByRole('button', { name: /^Revoke installation/ }).click();
    await laptop.locator('#installations li').nth(1).waitFor({ state: 'detached', timeout });
    assert.equal(await laptop.locator('#installations li').count(), 1);
    await screenshot(laptop, '14-installation-revoked');
  });
