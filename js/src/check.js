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
