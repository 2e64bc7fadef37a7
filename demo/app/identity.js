// Who the user is in this browser profile: a wallet key the app keeps in local storage, or the
// browser's injected Ethereum wallet (window.ethereum). Each profile is one person; pasting a
// key exported from another profile makes this browser a second installation of that inbox.
import * as xmtp from 'goxmtp';
import { action, fill, h, notAvailable, offers, shortId, showError } from './ui.js';

const storageKey = 'goxmtp-demo/identity';

/** The identity saved in this profile: {kind: 'local', privateKey} or {kind: 'wallet', address}. */
function saved() {
  try {
    return JSON.parse(localStorage.getItem(storageKey));
  } catch {
    return null;
  }
}

/** An EOA signer backed by an EIP-1193 provider: the wallet shows each text before signing. */
function walletSigner(ethereum, address) {
  return {
    type: 'EOA',
    getIdentifier: () => ({ identifier: address.toLowerCase(), identifierKind: xmtp.IdentifierKind.Ethereum }),
    signMessage: async (message) => {
      const hexMessage = `0x${[...new TextEncoder().encode(message)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
      const signature = await ethereum.request({ method: 'personal_sign', params: [hexMessage, address] });
      return Uint8Array.from(signature.slice(2).match(/../g), (b) => parseInt(b, 16));
    },
  };
}

/**
 * Shows the identity choices in `screen` (or reconnects the saved identity at once) and calls
 * `onClient(client, record)` with a ready client.
 */
export function chooseIdentity(screen, { clientOptions, onClient }) {
  const progress = h('p', { id: 'identity-progress', role: 'status' });

  // Client.create registers a new installation when the signer's inbox has none in this profile,
  // and loads the stored one otherwise. One tab owns the database: when another tab of this
  // profile has it, the user may move it here (the other tab is told and stops).
  const connect = async (signer, record, takeOver = false) => {
    progress.textContent = 'Connecting to the node and registering this installation…';
    // One identity at a time: a second click while registering would start a second one.
    choices.inert = true;
    try {
      const client = await xmtp.Client.create(signer, { ...clientOptions, takeOver });
      localStorage.setItem(storageKey, JSON.stringify(record));
      fill(progress);
      onClient(client, record);
    } catch (err) {
      fill(progress);
      choices.inert = false;
      if (err.code !== 'store.locked') throw err;
      const moveHere = h('button', { type: 'button', id: 'take-over' }, 'Use it in this tab');
      action(moveHere, 'Moving the identity to this tab', [xmtp.Client, 'create'], () => connect(signer, record, true));
      fill(progress, 'This identity is open in another tab of this browser. ', moveHere);
    }
  };
  const connectLocal = async (privateKey) => {
    const wallet = await xmtp.createLocalWallet(privateKey);
    await connect(wallet.signer, { kind: 'local', privateKey: wallet.privateKey });
  };
  const connectWallet = async () => {
    const [address] = await window.ethereum.request({ method: 'eth_requestAccounts' });
    await connect(walletSigner(window.ethereum, address), { kind: 'wallet', address });
  };

  const canCreate = offers(xmtp.Client, 'create');
  const createButton = h('button', { type: 'button', id: 'create-identity', className: 'primary' }, 'Create a new identity');
  const walletButton = h('button', { type: 'button', id: 'connect-wallet' }, 'Connect wallet');
  const keyInput = h('input', { id: 'import-key', type: 'password', autocomplete: 'off', spellcheck: 'false', placeholder: '0x…' });
  // A submit button: Enter in the key field adds the browser too.
  const importButton = h('button', { type: 'submit', id: 'import-identity' }, 'Add this browser');

  for (const button of [createButton, importButton]) {
    if (!canCreate) notAvailable(button, 'Client.create');
    else action(button, 'Creating the identity', [xmtp, 'createLocalWallet'], () =>
      connectLocal(button === importButton ? keyInput.value.trim() : undefined));
  }
  if (!canCreate) notAvailable(walletButton, 'Client.create');
  else if (!window.ethereum) {
    walletButton.disabled = true;
    walletButton.title = 'This browser has no Ethereum wallet extension';
  } else action(walletButton, 'Connecting the wallet', [window.ethereum, 'request'], connectWallet);

  const choices = h(
    'div',
    { className: 'choices' },
    h('section', { 'aria-labelledby': 'new-identity-title' },
      h('h3', { id: 'new-identity-title' }, 'New identity'),
      h('p', {}, 'Creates an Ethereum key and keeps it in this browser profile’s local storage.'),
      createButton),
    h('section', { 'aria-labelledby': 'wallet-title' },
      h('h3', { id: 'wallet-title' }, 'Browser wallet'),
      h('p', {}, 'Uses the Ethereum wallet of this browser; it asks you to sign once to register.'),
      walletButton),
    h('form', { 'aria-labelledby': 'import-title', onSubmit: (e) => e.preventDefault() },
      h('h3', { id: 'import-title' }, 'An identity you already have'),
      h('p', {}, 'Paste the key exported from your other browser: this one becomes a second installation of the same inbox.'),
      h('label', { for: 'import-key' }, 'Private key'),
      keyInput,
      importButton),
  );
  fill(
    screen,
    h('h2', {}, 'Who are you in this browser?'),
    h('p', {}, 'Each browser profile is one person. To chat with yourself, open this page in a second profile (or a private window) and create a second identity there.'),
    choices,
    progress,
  );

  const record = saved();
  if (record && canCreate) {
    const resume = record.kind === 'local' ? () => connectLocal(record.privateKey) : connectWallet;
    resume().catch((err) => showError('Reconnecting your saved identity', err));
  }
}

/** The account menu in the header: ids, installations, key export, revoke, forget. */
export function accountPanel(client, record) {
  const installations = h('ul', { id: 'installations' });
  const refreshButton = h('button', { type: 'button' }, 'Show installations');
  const loadInstallations = async () => {
    const state = await client.preferences.inboxState(true);
    fill(installations, state.installations.map((inst) => {
      const mine = inst.id === client.installationId;
      const revoke = mine ? null : action(
        h('button', { type: 'button', className: 'small danger', 'aria-label': `Revoke installation ${shortId(inst.id)}` }, 'Revoke'),
        'Revoking the installation', [client, 'revokeInstallations'], async () => {
          if (!confirm('Sign this inbox out of that browser or device?')) return;
          await client.revokeInstallations([inst.bytes]);
          await loadInstallations();
        });
      return h('li', { dataset: { id: inst.id } }, h('code', { title: inst.id }, shortId(inst.id)), mine ? ' (this browser)' : ' ', revoke);
    }));
    refreshButton.textContent = 'Refresh installations';
  };
  action(refreshButton, 'Listing installations', [client.preferences, 'inboxState'], loadInstallations);

  const revokeButton = h('button', { type: 'button' }, 'Revoke all other installations');
  action(revokeButton, 'Revoking installations', [client, 'revokeAllOtherInstallations'], async () => {
    if (!confirm('Sign this inbox out of every other browser and device?')) return;
    await client.revokeAllOtherInstallations();
    await loadInstallations();
  });

  const forgetButton = h('button', { type: 'button', className: 'danger' }, 'Forget this identity here');
  forgetButton.addEventListener('click', () => {
    const warning = record.kind === 'local' ? ' Export the key first if you want to use this identity again.' : '';
    if (!confirm(`Remove this identity from this browser?${warning}`)) return;
    localStorage.removeItem(storageKey);
    location.reload();
  });

  const address = client.accountIdentifier?.identifier ?? '';
  return h(
    'details',
    { className: 'account' },
    h('summary', { id: 'me', title: address }, `You: ${shortId(address)}`),
    h(
      'div',
      { className: 'account-body' },
      h('dl', {},
        h('dt', {}, 'Address'), h('dd', {}, h('code', { id: 'my-address' }, address)),
        h('dt', {}, 'Inbox id'), h('dd', {}, h('code', { id: 'my-inbox-id' }, client.inboxId)),
        h('dt', {}, 'This installation'), h('dd', {}, h('code', { id: 'my-installation-id' }, client.installationId))),
      record.kind === 'local'
        ? h('details', {}, h('summary', {}, 'Export key (to add another browser)'),
          h('p', {}, 'Anyone with this key is you. Paste it in your other browser’s “An identity you already have”.'),
          h('code', { id: 'my-private-key', className: 'secret' }, record.privateKey))
        : null,
      h('h3', {}, 'Installations'),
      refreshButton,
      installations,
      h('div', { className: 'row' }, revokeButton, forgetButton),
    ),
  );
}
