// goxmtp's interop adapter: the npm package, imported from /js/index.js as an app would (the
// bundler leaves that import alone), its client in the package's Web Worker with IndexedDB.
import * as goxmtp from '/js/index.js';
import { makePeer } from './peer.js';

// A test may load another build of the module (peer.html?wasm=<url>), such as the testhooks one.
const wasmUrl = new URLSearchParams(location.search).get('wasm');
if (wasmUrl) goxmtp.configure({ wasmUrl });

window.peer = makePeer({
  IdentifierKind: goxmtp.IdentifierKind,
  signatureBytes: (hex) => hex,
  create: (signer, apiUrl, options) => goxmtp.Client.create(signer, { env: 'local', apiUrl, ...options }),
  replyContent: (text) => text,
  replyOf: (c) => ({ reference: c.referenceId, content: c.content }),
});
