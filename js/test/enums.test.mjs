// Every enum goxmtp exports must carry the same names and values as @xmtp/browser-sdk 7.1.0's,
// so an app can switch packages without its stored or compared values changing meaning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sdk from '@xmtp/browser-sdk';
import * as enums from '../src/enums.js';

for (const [name, ours] of Object.entries(enums)) {
  test(`${name} matches @xmtp/browser-sdk`, () => {
    assert.ok(name in sdk, `@xmtp/browser-sdk has no export ${name}`);
    if (name === 'ApiUrls') {
      for (const env of Object.keys(ours)) assert.equal(ours[env], sdk.ApiUrls[env], `ApiUrls.${env}`);
      return;
    }
    assert.deepEqual({ ...ours }, { ...sdk[name] });
  });
}
