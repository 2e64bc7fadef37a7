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
 * Interop failures seen when these tests were last run, each named by what it blocks. A
 * scenario that runs into one is a todo naming it; the fix deletes the entry, and the
 * scenario runs as a plain test.
 */
export const broken = {
  libxmtpAddsGoxmtp: 'libxmtp refuses goxmtp key packages: "mls validation: The leaf node signature is not valid." (so GroupError::FailedToVerifyInstallations)',
  goxmtpAddsLibxmtp: 'libxmtp refuses the welcomes goxmtp sends it: "welcome error: Invalid node signature"',
};

/** A node:test todo option of reasons (false ones left out): false when there are none. */
export const todo = (...reasons) => reasons.filter(Boolean).join('; ') || false;

/** The known failure a group made by creatorSdk with members of other SDKs runs into. */
export const mixedGroup = (creatorSdk) => (creatorSdk === 'libxmtp' ? broken.libxmtpAddsGoxmtp : broken.goxmtpAddsLibxmtp);
