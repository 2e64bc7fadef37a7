// People: how the app names inboxes (their Ethereum address when known) and how it turns what
// a user types (addresses or inbox ids) into inbox ids.
import * as xmtp from 'goxmtp';
import { appError, offers, shortId } from './ui.js';

const addressPattern = /^0x[0-9a-fA-F]{40}$/;
const inboxIdPattern = /^[0-9a-fA-F]{64}$/;

/** Remembers inbox id → address from member lists and, for the others, the inboxes' states. */
export class People {
  #client;
  #addresses = new Map();

  constructor(client) {
    this.#client = client;
    const own = client.accountIdentifier?.identifier;
    if (own) this.#addresses.set(client.inboxId, own);
  }

  /** Learns the addresses of GroupMember records, asking the node about inboxes it cannot name. */
  async learn(members) {
    const unknown = [];
    for (const m of members) {
      const address = ethereum(m.accountIdentifiers);
      if (address) this.#addresses.set(m.inboxId, address);
      else if (!this.#addresses.has(m.inboxId)) unknown.push(m.inboxId);
    }
    if (!unknown.length || !offers(this.#client.preferences, 'getInboxStates')) return;
    for (const state of await this.#client.preferences.getInboxStates(unknown)) {
      const address = ethereum(state.accountIdentifiers);
      if (address) this.#addresses.set(state.inboxId, address);
    }
  }

  /** "You", the short address, or the short inbox id. */
  name(inboxId) {
    if (inboxId === this.#client.inboxId) return 'You';
    return shortId(this.#addresses.get(inboxId) ?? inboxId);
  }

  /** The full address and inbox id, for tooltips. */
  describe(inboxId) {
    const address = this.#addresses.get(inboxId);
    return address ? `${address}\ninbox ${inboxId}` : `inbox ${inboxId}`;
  }
}

/** The first Ethereum address among identifiers. */
function ethereum(identifiers) {
  return identifiers?.find((i) => i.identifierKind === xmtp.IdentifierKind.Ethereum)?.identifier;
}

/** Splits what the user typed (lines, commas or spaces) into entries. */
export function parseEntries(text) {
  return text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
}

/**
 * Turns addresses and inbox ids into inbox ids, asking the node for each address. An address
 * nobody registered, or anything else, is an error naming the entry.
 */
export async function resolveInboxIds(client, entries) {
  const ids = [];
  for (const entry of entries) {
    if (inboxIdPattern.test(entry)) {
      ids.push(entry.toLowerCase());
    } else if (addressPattern.test(entry)) {
      if (!offers(client, 'fetchInboxIdByIdentifier')) {
        throw appError('demo.not_available', 'looking up addresses is not available yet; use inbox ids');
      }
      const inboxId = await client.fetchInboxIdByIdentifier({
        identifier: entry.toLowerCase(),
        identifierKind: xmtp.IdentifierKind.Ethereum,
      });
      if (!inboxId) throw appError('demo.not_registered', `${entry} has no XMTP inbox on this node`);
      ids.push(inboxId);
    } else {
      throw appError('demo.bad_entry', `"${entry}" is neither an Ethereum address (0x + 40 hex) nor an inbox id (64 hex)`);
    }
  }
  return ids;
}
