// Every function, class (with each member) and enum that js/index.d.ts declares is exported
// at run time: the hand-written declarations cannot promise what the package does not have.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as pkg from '../index.js';

const dts = await readFile(new URL('../index.d.ts', import.meta.url), 'utf8');

/** The members of each `export declare class` block. */
function classes() {
  const re = new RegExp(`^export declare (?:abstract )?class (\\w+)[^{]*\\{\\n([\\s\\S]*?)^\\}`, 'gm');
  return [...dts.matchAll(re)].map(([, name, body]) => ({
    name,
    members: [...body.matchAll(/^ {2}(static )?(?:readonly )?(\w+)\??[(:<]/gm)]
      .map(([, isStatic, member]) => ({ member, isStatic: Boolean(isStatic) })),
  }));
}

test('exported functions and enums exist', () => {
  for (const [, name] of dts.matchAll(/^export function (\w+)/gm)) assert.equal(typeof pkg[name], 'function', name);
  for (const [, name] of dts.matchAll(/^export declare enum (\w+)/gm)) assert.equal(typeof pkg[name], 'object', name);
  for (const [, name] of dts.matchAll(/^export declare const (\w+)/gm)) assert.ok(pkg[name] !== undefined, name);
});

test('declared classes exist with every member', () => {
  const declared = classes();
  assert.ok(declared.length > 0);
  for (const { name, members } of declared) {
    const cls = pkg[name];
    assert.equal(typeof cls, 'function', `class ${name}`);
    for (const { member, isStatic } of members) {
      if (member === 'constructor') continue;
      const where = isStatic ? cls : cls.prototype;
      assert.ok(member in where, `${name}${isStatic ? '.' : '#'}${member}`);
    }
  }
});
