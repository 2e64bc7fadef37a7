// Which parts of goxmtp's API exist yet. A scenario that needs a missing one runs as a
// node:test todo naming it, and turns into a plain test, unchanged, once the bridge adds it.
import * as goxmtp from '../../index.js';

// client.conversations' class is not exported; its module may not exist yet.
const { Conversations } = await import('../../src/conversations.js').catch(() => ({}));
const classes = { Client: goxmtp.Client, Group: goxmtp.Group, Dm: goxmtp.Dm, Conversations };

/** false when goxmtp has every Class.method named, otherwise a todo reason naming the missing ones. */
export function waitingFor(...names) {
  const missing = names.filter((name) => {
    const [cls, method] = name.split('.');
    return typeof classes[cls]?.prototype?.[method] !== 'function';
  });
  return missing.length > 0 && `waiting for goxmtp ${missing.join(', ')}`;
}

/**
 * Why libxmtp refuses goxmtp's leaf nodes, as a libxmtp peer says of a goxmtp installation's
 * key package, or undefined when it accepts them. The leaf nodes in goxmtp's welcomes are made
 * the same way, so a refusal blocks mixed groups made by either side: scenarios that need one
 * become todos naming it, and run as plain tests once goxmtp's leaf nodes are fixed.
 */
export async function leafNodeRefusal(lib, gox) {
  const error = (await lib.keyPackageErrors([gox.me.installationId]))[gox.me.installationId];
  return error ? `libxmtp refuses goxmtp's leaf nodes: "${error}"` : undefined;
}

/** Interop failures found by these tests that no probe detects; the fix deletes its entry. */
export const broken = {
  streamOwnNewGroups: "goxmtp's streamAllMessages misses the groups its client creates after the stream started",
};

/** A node:test todo option of reasons (false ones left out): false when there are none. */
export const todo = (...reasons) => reasons.filter(Boolean).join('; ') || false;
