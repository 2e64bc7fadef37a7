// client.preferences: inbox states and consent.
import { clientCall, clientStream } from './client.js';
import { badArgument, unsupportedMethods } from './check.js';

export class Preferences {
  #client;

  constructor(client) {
    this.#client = client;
  }

  /** This inbox's state: its wallets, installations and recovery identifier, from the network. */
  async inboxState() {
    return (await this.fetchInboxStates([this.#client.inboxId]))[0];
  }

  /** Same as inboxState: goxmtp always reads the state from the network, incrementally. */
  async fetchInboxState() {
    return this.inboxState();
  }

  /** The states of several inboxes. */
  async getInboxStates(inboxIds) {
    return this.fetchInboxStates(inboxIds);
  }

  /** The states of several inboxes, from the network. */
  async fetchInboxStates(inboxIds) {
    if (!Array.isArray(inboxIds) || !inboxIds.every((id) => typeof id === 'string')) {
      throw badArgument('inboxIds must be an array of strings');
    }
    return clientCall(this.#client, 'inboxStates', [inboxIds]);
  }

  /** Records consent: to conversations (ConsentEntityType.GroupId, hex id) or inboxes. */
  async setConsentStates(records) {
    await clientCall(this.#client, 'preferences.setConsentStates', [records]);
  }

  /** The consent recorded for a conversation or an inbox (Unknown when never set). */
  getConsentState(entityType, entity) {
    return clientCall(this.#client, 'preferences.getConsentState', [entityType, entity]);
  }

  /**
   * Each consent change recorded through this client from now on, as a Consent[] of one.
   * goxmtp has no device sync, so changes made on the user's other installations do not show.
   */
  streamConsent(options) {
    return clientStream(this.#client, 'preferences.streamConsent', [], (consent) => [consent], options);
  }

  /** The same changes as streamConsent, as browser-sdk's [{type: 'ConsentUpdate', consent}]. */
  streamPreferences(options) {
    return clientStream(this.#client, 'preferences.streamConsent', [], (consent) => [{ type: 'ConsentUpdate', consent }], options);
  }
}

// goxmtp has no device sync groups to sync: sync rejects with code unsupported.
unsupportedMethods(Preferences, ['sync']);
