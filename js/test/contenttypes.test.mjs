// The content type ids and message guards goxmtp exports equal @xmtp/browser-sdk 7.1's: the
// ids against the functions of its @xmtp/wasm-bindings 1.11 (run here in Node), the guards
// against browser-sdk's own on messages of every type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as bindings from '@xmtp/wasm-bindings';
import * as sdk from '@xmtp/browser-sdk';
import * as ours from '../src/contenttypes.js';

bindings.initSync({ module: readFileSync(new URL('../../node_modules/@xmtp/wasm-bindings/dist/bindings_wasm_bg.wasm', import.meta.url)) });

const idNames = Object.keys(ours).filter((k) => k.startsWith('contentType'));
const guardNames = Object.keys(ours).filter((k) => k.startsWith('is'));

test('every contentTypeX() of browser-sdk exists and gives the same id', async () => {
  assert.deepEqual(idNames.sort(), Object.keys(sdk).filter((k) => k.startsWith('contentType')).sort());
  for (const name of idNames) assert.deepEqual(await ours[name](), { ...bindings[name]() }, name);
});

test('every isX guard of browser-sdk exists and answers as browser-sdk does', () => {
  assert.deepEqual(guardNames.sort(), Object.keys(sdk).filter((k) => /^is[A-Z]/.test(k)).sort());
  const messages = idNames.map((name) => ({ contentType: bindings[name](), content: { content: 'text' } }));
  messages.push({ contentType: { authorityId: 'example.com', typeId: 'text', versionMajor: 1, versionMinor: 0 } });
  messages.push({ contentType: bindings.contentTypeReply(), content: { content: new Uint8Array(1) } });
  for (const guard of guardNames) {
    for (const m of messages) assert.equal(ours[guard](m), sdk[guard](m), `${guard} of ${m.contentType.authorityId}/${m.contentType.typeId}`);
  }
});
