// Argument checks done on the page, before a call crosses to the module: a wrong argument
// throws a TypeError with code bridge.bad_argument, as the module's own checks do.
import { IdentifierKind } from './enums.js';
import { codedError } from './host.js';

export function badArgument(message) {
  return codedError('bridge.bad_argument', `goxmtp: ${message}`, 'TypeError');
}

/** Checks browser-sdk's Identifier {identifier, identifierKind}. */
export function checkIdentifier(id, name) {
  if (id === null || typeof id !== 'object' || typeof id.identifier !== 'string'
      || !Object.values(IdentifierKind).includes(id.identifierKind)) {
    throw badArgument(`${name} must be an Identifier {identifier: string, identifierKind: IdentifierKind}`);
  }
}

/** Checks a list of Identifiers. */
export function checkIdentifiers(ids, name = 'identifiers') {
  if (!Array.isArray(ids)) throw badArgument(`${name} must be an array of Identifier`);
  ids.forEach((id, i) => checkIdentifier(id, `${name}[${i}]`));
  return ids;
}

/** Checks a list of inbox ids (or other hex ids). */
export function checkInboxIds(ids, name = 'inboxIds') {
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw badArgument(`${name} must be an array of strings`);
  return ids;
}

/**
 * Gives cls (or, with isStatic, the class itself) browser-sdk methods goxmtp does not
 * support: each rejects with code unsupported, so an app ported from browser-sdk finds out
 * with a clear error instead of "is not a function".
 */
export function unsupportedMethods(cls, names, { isStatic = false } = {}) {
  const target = isStatic ? cls : cls.prototype;
  for (const name of names) {
    Object.defineProperty(target, name, {
      configurable: true,
      writable: true,
      value: async () => {
        throw codedError('unsupported', `goxmtp: ${cls.name}.${name} is not supported (see "Differences from @xmtp/browser-sdk 7.1" in the package README)`);
      },
    });
  }
}
