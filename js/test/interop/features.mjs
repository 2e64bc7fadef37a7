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

