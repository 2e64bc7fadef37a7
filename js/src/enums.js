// The package's enums. Names and numeric values follow @xmtp/browser-sdk 7.1 so apps can switch
// without relearning; note they are the SDK's values, not the proto or database values
// (js/test/enums.test.mjs compares every one against the SDK itself).

/** Builds a frozen two-way enum object as TypeScript's numeric enums are. */
function numericEnum(names) {
  const e = {};
  names.forEach((name, value) => {
    e[name] = value;
    e[value] = name;
  });
  return Object.freeze(e);
}

export const IdentifierKind = numericEnum(['Ethereum', 'Passkey']);
export const ConsentState = numericEnum(['Unknown', 'Allowed', 'Denied']);
export const ConsentEntityType = numericEnum(['GroupId', 'InboxId']);
export const ConversationType = numericEnum(['Dm', 'Group', 'Sync', 'Oneshot']);
export const DeliveryStatus = numericEnum(['Unpublished', 'Published', 'Failed']);
export const GroupMessageKind = numericEnum(['Application', 'MembershipChange']);
export const GroupMembershipState = numericEnum(['Allowed', 'Rejected', 'Pending', 'Restored', 'PendingRemove']);
export const GroupPermissionsOptions = numericEnum(['Default', 'AdminOnly', 'CustomPolicy']);
export const ListConversationsOrderBy = numericEnum(['CreatedAt', 'LastActivity']);
export const MessageSortBy = numericEnum(['SentAt', 'InsertedAt']);
export const SortDirection = numericEnum(['Ascending', 'Descending']);
export const MetadataField = numericEnum([
  'AppData',
  'Description',
  'GroupName',
  'GroupImageUrlSquare',
  'MessageExpirationFromNs',
  'MessageExpirationInNs',
]);
export const PermissionLevel = numericEnum(['Member', 'Admin', 'SuperAdmin']);
export const PermissionPolicy = numericEnum(['Allow', 'Deny', 'Admin', 'SuperAdmin', 'DoesNotExist', 'Other']);
export const PermissionUpdateType = numericEnum(['AddMember', 'RemoveMember', 'AddAdmin', 'RemoveAdmin', 'UpdateMetadata']);
export const ReactionAction = numericEnum(['Unknown', 'Added', 'Removed']);
export const ReactionSchema = numericEnum(['Unknown', 'Unicode', 'Shortcode', 'Custom']);
export const ActionStyle = numericEnum(['Primary', 'Secondary', 'Danger']);
export const LogLevel = numericEnum(['Off', 'Error', 'Warn', 'Info', 'Debug', 'Trace']);
export const ContentType = numericEnum([
  'Actions',
  'Attachment',
  'Custom',
  'GroupMembershipChange',
  'GroupUpdated',
  'Intent',
  'LeaveRequest',
  'Markdown',
  'MultiRemoteAttachment',
  'Reaction',
  'ReadReceipt',
  'RemoteAttachment',
  'Reply',
  'Text',
  'TransactionReference',
  'WalletSendCalls',
]);

/** XMTP's network endpoints per env. "local" is this repo's node (gRPC-web port). */
export const ApiUrls = Object.freeze({
  local: 'http://localhost:5557',
  dev: 'https://api.dev.xmtp.network:5558',
  production: 'https://api.production.xmtp.network:5558',
});
