// libxmtp's interop adapter: @xmtp/browser-sdk 7.1.0, bundled with its worker; device sync
// off unless a scenario asks for it (it would add a sync group to every inbox).
import { Client, IdentifierKind, encodeText } from '@xmtp/browser-sdk';
import { hexToBytes } from 'viem';
import { makePeer } from './peer.js';

window.peer = makePeer({
  IdentifierKind,
  signatureBytes: hexToBytes,
  create: (signer, apiUrl, { deviceSync = false, ...options } = {}) =>
    Client.create(signer, { env: 'local', apiUrl, disableDeviceSync: !deviceSync, ...options }),
  replyContent: encodeText,
  replyOf: (c) => ({ reference: c.referenceId, content: c.content }),
});
