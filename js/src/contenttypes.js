// The built-in content types by name, and browser-sdk 7.1's helpers made from them: the
// contentTypeX() ids (async, as browser-sdk's) and the isX(message) guards.

const xmtp = (typeId, versionMajor = 1) => ({ authorityId: 'xmtp.org', typeId, versionMajor, versionMinor: 0 });
const coinbase = (typeId) => ({ authorityId: 'coinbase.com', typeId, versionMajor: 1, versionMinor: 0 });

const types = {
  Actions: coinbase('actions'),
  Attachment: xmtp('attachment'),
  GroupUpdated: xmtp('group_updated'),
  Intent: coinbase('intent'),
  LeaveRequest: xmtp('leave_request'),
  Markdown: xmtp('markdown'),
  MultiRemoteAttachment: xmtp('multiRemoteStaticAttachment'),
  Reaction: xmtp('reaction', 2),
  ReadReceipt: xmtp('readReceipt'),
  RemoteAttachment: xmtp('remoteStaticAttachment'),
  Reply: xmtp('reply'),
  Text: xmtp('text'),
  TransactionReference: xmtp('transactionReference'),
  WalletSendCalls: xmtp('walletSendCalls'),
};

const idOf = (name) => async () => ({ ...types[name] });
/** A guard: whether a message's content type is the named one (any version). */
const is = (name) => (m) => m?.contentType?.authorityId === types[name].authorityId && m.contentType.typeId === types[name].typeId;

export const contentTypeActions = idOf('Actions');
export const contentTypeAttachment = idOf('Attachment');
export const contentTypeGroupUpdated = idOf('GroupUpdated');
export const contentTypeIntent = idOf('Intent');
export const contentTypeLeaveRequest = idOf('LeaveRequest');
export const contentTypeMarkdown = idOf('Markdown');
export const contentTypeMultiRemoteAttachment = idOf('MultiRemoteAttachment');
export const contentTypeReaction = idOf('Reaction');
export const contentTypeReadReceipt = idOf('ReadReceipt');
export const contentTypeRemoteAttachment = idOf('RemoteAttachment');
export const contentTypeReply = idOf('Reply');
export const contentTypeText = idOf('Text');
export const contentTypeTransactionReference = idOf('TransactionReference');
export const contentTypeWalletSendCalls = idOf('WalletSendCalls');

export const isActions = is('Actions');
export const isAttachment = is('Attachment');
export const isGroupUpdated = is('GroupUpdated');
export const isIntent = is('Intent');
export const isLeaveRequest = is('LeaveRequest');
export const isMarkdown = is('Markdown');
export const isMultiRemoteAttachment = is('MultiRemoteAttachment');
export const isReaction = is('Reaction');
export const isReadReceipt = is('ReadReceipt');
export const isRemoteAttachment = is('RemoteAttachment');
export const isReply = is('Reply');
export const isText = is('Text');
export const isTransactionReference = is('TransactionReference');
export const isWalletSendCalls = is('WalletSendCalls');
/** A reply whose answer is text. */
export const isTextReply = (m) => isReply(m) && typeof m.content?.content === 'string';
