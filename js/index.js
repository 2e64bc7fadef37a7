// goxmtp: XMTP V3 group chat for the browser, in Go compiled to WebAssembly. The names
// follow @xmtp/browser-sdk 7.1 so that its users can switch without relearning.
export * from './src/enums.js';
export { configure, ready, version } from './src/module.js';
export { Client } from './src/client.js';
export { Conversation, Group, Dm } from './src/conversation.js';
export { Conversations } from './src/conversations.js';
export { Preferences } from './src/preferences.js';
export { AsyncStream } from './src/stream.js';
export {
  encodeText, encodeMarkdown, encodeReaction, encodeReply, encodeReadReceipt,
  encodeAttachment, encodeRemoteAttachment, encodeMultiRemoteAttachment,
  encodeTransactionReference, encodeWalletSendCalls, encodeActions, encodeIntent,
  encryptAttachment, decryptAttachment,
} from './src/content.js';
export { createLocalWallet, createEOASigner } from './src/localwallet.js';
export * from './src/contenttypes.js';
export { generateInboxId, metadataFieldName } from './src/module.js';
