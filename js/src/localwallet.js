// createLocalWallet: an Ethereum key the app keeps itself (a demo, a bot, a test), with a
// signer of browser-sdk's shape. The key stays on the page; each signature passes it to
// the module, which signs and forgets it. Apps of real users sign with the user's wallet.
import { IdentifierKind } from './enums.js';
import { module } from './module.js';

/**
 * A wallet of privateKey (0x-hex), or of a new random key when none is given; resolves with
 * {privateKey, address, signer}. Keep privateKey secret: it is the identity.
 */
export async function createLocalWallet(privateKey) {
  const rpc = await module();
  const wallet = await rpc.call(0, 'localWallet', privateKey === undefined ? [] : [privateKey]);
  const identifier = { identifier: wallet.address, identifierKind: IdentifierKind.Ethereum };
  return {
    privateKey: wallet.privateKey,
    address: wallet.address,
    signer: {
      type: 'EOA',
      getIdentifier: () => identifier,
      signMessage: (message) => rpc.call(0, 'localWalletSign', [wallet.privateKey, message]),
    },
  };
}

/**
 * browser-sdk's createEOASigner: a signer of privateKey (0x-hex), or of a new random key.
 * The key becomes a wallet on first use, so this returns at once, as browser-sdk's does.
 */
export function createEOASigner(privateKey) {
  let wallet;
  const get = () => (wallet ??= createLocalWallet(privateKey));
  return {
    type: 'EOA',
    getIdentifier: async () => (await get()).signer.getIdentifier(),
    signMessage: async (message) => (await get()).signer.signMessage(message),
  };
}
