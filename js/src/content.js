// Encoders of the built-in content types, browser-sdk's names: each resolves with the
// EncodedContent that group.send() takes, or a reply's content. The module encodes them
// with the same codecs it decodes with.
import { module } from './module.js';

async function encode(kind, value) {
  return (await module()).call(0, 'encodeContent', [kind, value]);
}

export const encodeText = (text) => encode('text', text);
export const encodeMarkdown = (markdown) => encode('markdown', markdown);
export const encodeReaction = (reaction) => encode('reaction', reaction);
export const encodeReply = (reply) => encode('reply', reply);
export const encodeReadReceipt = () => encode('readReceipt');
export const encodeAttachment = (attachment) => encode('attachment', attachment);
export const encodeRemoteAttachment = (remoteAttachment) => encode('remoteAttachment', remoteAttachment);
export const encodeMultiRemoteAttachment = (multiRemoteAttachment) => encode('multiRemoteAttachment', multiRemoteAttachment);
export const encodeTransactionReference = (transactionReference) => encode('transactionReference', transactionReference);
export const encodeWalletSendCalls = (walletSendCalls) => encode('walletSendCalls', walletSendCalls);
export const encodeActions = (actions) => encode('actions', actions);
export const encodeIntent = (intent) => encode('intent', intent);

/**
 * Seals an attachment for upload: resolves with {payload, contentDigest, secret, salt, nonce,
 * contentLength, filename?}; upload payload, then send a RemoteAttachment of these and its URL.
 */
export async function encryptAttachment(attachment) {
  return (await module()).call(0, 'encryptAttachment', [attachment]);
}

/** Checks downloaded bytes against a RemoteAttachment's digest and opens them into an Attachment. */
export async function decryptAttachment(encryptedBytes, remoteAttachment) {
  return (await module()).call(0, 'decryptAttachment', [encryptedBytes, remoteAttachment]);
}
