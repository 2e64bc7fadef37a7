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
