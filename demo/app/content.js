// What a message says, in words: the text of text and reply messages, and a sentence for each
// change a group_updated message records (members, roles, name, description, image).

/** The content type's short name ("text", "reply", "reaction", "group_updated", …). */
export function typeOf(msg) {
  return msg.contentType?.typeId ?? 'unknown';
}

/** True for the messages a group's membership and metadata commits produce. */
export function isGroupUpdate(msg) {
  return typeOf(msg) === 'group_updated';
}

/** The readable text of a message; the sender's fallback text for types the app does not show. */
export function textOf(msg, people) {
  switch (typeOf(msg)) {
    case 'text':
    case 'markdown':
      return String(msg.content);
    case 'reply':
      return typeof msg.content?.content === 'string' ? msg.content.content : (msg.fallback ?? 'a reply');
    case 'reaction':
      return `reacted ${msg.content?.content ?? ''}`;
    case 'group_updated':
      return describeUpdate(msg.content, people).join('; ');
    default:
      return msg.fallback ?? `(a ${typeOf(msg)} message this app does not show)`;
  }
}

const fieldNames = {
  group_name: 'the name',
  description: 'the description',
  group_image_url_square: 'the image URL',
  app_data: 'the app data',
  message_disappear_from_ns: 'disappearing messages',
  message_disappear_in_ns: 'disappearing messages',
};

/** Long values (image URLs) are cut so a timeline line stays one or two lines long. */
function clip(value, max = 60) {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/** One sentence per change in a GroupUpdated record. */
export function describeUpdate(update, people) {
  const by = people.name(update.initiatedByInboxId);
  const names = (list) => (list ?? []).map((i) => people.name(i.inboxId)).join(', ');
  const lines = [];
  const each = (list, sentence) => {
    if (list?.length) lines.push(sentence(names(list)));
  };
  each(update.addedInboxes, (who) => `${by} added ${who}`);
  each(update.removedInboxes, (who) => `${by} removed ${who}`);
  each(update.leftInboxes, (who) => `${who} left`);
  each(update.addedAdminInboxes, (who) => `${by} made ${who} an admin`);
  each(update.removedAdminInboxes, (who) => `${by} removed ${who} as admin`);
  each(update.addedSuperAdminInboxes, (who) => `${by} made ${who} a super admin`);
  each(update.removedSuperAdminInboxes, (who) => `${by} removed ${who} as super admin`);
  for (const change of update.metadataFieldChanges ?? []) {
    const field = fieldNames[change.fieldName] ?? change.fieldName;
    lines.push(change.newValue
      ? `${by} changed ${field} to “${clip(change.newValue)}”`
      : `${by} cleared ${field}`);
  }
  if (!lines.length) lines.push(`${by} updated the group`);
  return lines;
}
