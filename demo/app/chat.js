// The open conversation: its timeline (messages with sender, time and delivery status, replies,
// reactions, and membership and metadata changes as lines of their own) and the composer.
// Sends are optimistic: a message is stored and shown at once as unpublished, then published by
// a sync (which publishes what is pending first); while one stays unpublished (the node cannot
// be reached, or refused it) the app syncs again every few seconds, so it turns published when
// the node takes it, or failed once the node has refused it three times (core's
// MaxPublishAttempts). A failed message has a Retry button, which publishes it again.
import * as xmtp from 'goxmtp';
import { describeUpdate, isGroupUpdate, textOf, typeOf } from './content.js';
import { isDm, titleOf } from './conversations.js';
import { action, announce, fill, h, notAvailable, offers, showError, timeEl } from './ui.js';

const quickReactions = ['👍', '❤️', '😂', '🎉'];
// Shown on the message they refer to, not as lines of their own.
const attachedTypes = ['reaction', 'read_receipt'];
const ownLine = (msg) => !attachedTypes.includes(typeOf(msg));
const retryDelayMs = 3000;

const statusLabels = {
  [xmtp.DeliveryStatus.Unpublished]: ['unpublished', 'Not published yet'],
  [xmtp.DeliveryStatus.Published]: ['published', 'Published'],
  [xmtp.DeliveryStatus.Failed]: ['failed', 'Failed to publish'],
};

/** Who reacted with what to each message: reference id → emoji → set of inbox ids. */
function tallyReactions(messages) {
  const byId = new Map();
  for (const r of [...messages.filter((m) => typeOf(m) === 'reaction'), ...messages.flatMap((m) => m.reactions ?? [])]) {
    byId.set(r.id, r);
  }
  const tally = new Map();
  for (const r of [...byId.values()].sort((a, b) => Number(BigInt(a.sentAtNs) - BigInt(b.sentAtNs)))) {
    const { reference, content: emoji, action: act } = r.content;
    if (!tally.has(reference)) tally.set(reference, new Map());
    const perEmoji = tally.get(reference);
    if (!perEmoji.has(emoji)) perEmoji.set(emoji, new Set());
    if (act === xmtp.ReactionAction.Removed) perEmoji.get(emoji).delete(r.senderInboxId);
    else perEmoji.get(emoji).add(r.senderInboxId);
  }
  return tally;
}

/**
 * Renders conversations into `root`. `onRead(convId, lastMessage)` marks what the user saw;
 * `onSent()` runs after each message this user sends; `onDetails()` toggles the group panel;
 * `onGroupChanged()` runs when a membership or metadata change arrives.
 * Returns {show(conv), messageArrived(msg), reload()}.
 */
export function chatView(root, client, people, { onRead, onSent, onDetails, onGroupChanged }) {
  const me = client.inboxId;
  let conv = null;
  let replyTo = null;
  let retryTimer = null;
  let loading = Promise.resolve();
  // Whether a message of this user in the open conversation waits to be published.
  let unpublished = false;

  const title = h('h2', { id: 'chat-title' });
  const subtitle = h('p', { className: 'muted', id: 'chat-subtitle' });
  const detailsButton = h('button', { type: 'button', id: 'toggle-details', 'aria-controls': 'group-settings', 'aria-expanded': 'false', onClick: () => onDetails(detailsButton) }, 'Details');
  // Not a live region: it is redrawn whole; arrivals are announced one by one instead.
  const timeline = h('ol', { id: 'timeline', 'aria-label': 'Messages' });
  const replyBanner = h('div', { className: 'reply-banner', hidden: true });
  const input = h('textarea', { id: 'composer-input', rows: 2, placeholder: 'Write a message', 'aria-label': 'Message' });
  const sendButton = h('button', { type: 'submit', className: 'primary', id: 'send' }, 'Send');
  const composer = h('form', { className: 'composer', onSubmit: (e) => { e.preventDefault(); submit(); } }, replyBanner, input, sendButton);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      submit();
    }
  });

  // Publishes what is stored unpublished and fetches what is new; while the node cannot be
  // reached, or a message of this user is still unpublished, it tries again every few seconds.
  const publish = async () => {
    clearTimeout(retryTimer);
    retryTimer = null;
    const current = conv;
    let failure = null;
    try {
      await current.sync();
    } catch (err) {
      failure = err;
      if (err.code !== 'api.unavailable') showError('Syncing the conversation', err);
    }
    await reload();
    const again = failure ? failure.code === 'api.unavailable' : unpublished;
    if (again && current === conv && !retryTimer) retryTimer = setTimeout(publish, retryDelayMs);
  };

  // Publishes a failed message again, under its id (whoever got an earlier attempt keeps one
  // copy). With the node away it stays unpublished, and publish() keeps trying.
  const republish = async (msg) => {
    try {
      await conv.retryMessage(msg.id);
    } catch (err) {
      if (err.code !== 'api.unavailable') throw err;
    } finally {
      publish().then(onSent);
    }
  };

  const setReply = (msg) => {
    replyTo = msg;
    replyBanner.hidden = !msg;
    if (!msg) return;
    fill(replyBanner,
      h('span', {}, `Replying to ${people.name(msg.senderInboxId)}: `, h('q', {}, textOf(msg, people))),
      h('button', { type: 'button', className: 'link', 'aria-label': 'Cancel reply', onClick: () => setReply(null) }, '×'));
    input.focus();
  };

  const submit = async () => {
    const text = input.value.trim();
    if (!text || !conv || sendButton.disabled) return;
    sendButton.disabled = true;
    try {
      if (replyTo) {
        await conv.sendReply({ reference: replyTo.id, referenceInboxId: replyTo.senderInboxId, content: text }, { optimistic: true });
      } else {
        await conv.sendText(text, { optimistic: true });
      }
      input.value = '';
      setReply(null);
      await reload();
      onSent();
      publish().then(onSent);
    } catch (err) {
      showError('Sending', err);
    } finally {
      sendButton.disabled = false;
    }
  };

  const react = async (msg, emoji, mine) => {
    await conv.sendReaction({
      reference: msg.id,
      referenceInboxId: msg.senderInboxId,
      action: mine ? xmtp.ReactionAction.Removed : xmtp.ReactionAction.Added,
      content: emoji,
      schema: xmtp.ReactionSchema.Unicode,
    }, { optimistic: true });
    await reload();
    publish().then(onSent);
  };

  const messageItem = (msg, byId, reactions) => {
    if (isGroupUpdate(msg)) {
      return h('li', { className: 'system', dataset: { id: msg.id } },
        describeUpdate(msg.content, people).join('. '), ' ', timeEl(msg.sentAt));
    }
    const mine = msg.senderInboxId === me;
    const [status, statusText] = statusLabels[msg.deliveryStatus] ?? ['unknown', 'Unknown status'];
    const quoted = typeOf(msg) === 'reply' ? (msg.content.inReplyTo ?? byId.get(msg.content.referenceId)) : null;
    const retry = status === 'failed'
      ? action(h('button', { type: 'button', className: 'link retry' }, 'Retry'), 'Retrying', [conv, 'retryMessage'], () => republish(msg))
      : null;
    const replyButton = h('button', { type: 'button', className: 'link', onClick: () => setReply(msg) }, 'Reply');
    if (!offers(conv, 'sendReply')) notAvailable(replyButton, 'sendReply');
    const mineFor = (emoji) => Boolean(reactions.get(msg.id)?.get(emoji)?.has(me));
    const chips = [...(reactions.get(msg.id) ?? new Map())]
      .filter(([, who]) => who.size)
      .map(([emoji, who]) => action(
        h('button', { type: 'button', className: 'chip', 'aria-pressed': String(mineFor(emoji)), title: [...who].map((id) => people.name(id)).join(', ') }, `${emoji} ${who.size}`),
        'Reacting', [conv, 'sendReaction'], () => react(msg, emoji, mineFor(emoji))));
    return h(
      'li',
      { className: `message${mine ? ' mine' : ''}`, dataset: { id: msg.id, status } },
      h('div', { className: 'meta' },
        h('span', { className: 'sender', title: people.describe(msg.senderInboxId) }, people.name(msg.senderInboxId)),
        timeEl(msg.sentAt),
        mine ? h('span', { className: `status ${status}` }, statusText) : null,
        retry),
      quoted ? h('blockquote', { className: 'quoted' }, `${people.name(quoted.senderInboxId)}: ${textOf(quoted, people)}`) : null,
      h('p', { className: 'body' }, textOf(msg, people)),
      chips.length ? h('div', { className: 'reactions', 'aria-label': 'Reactions' }, chips) : null,
      h('div', { className: 'message-actions' },
        replyButton,
        quickReactions.map((emoji) => action(
          h('button', { type: 'button', className: 'link', 'aria-label': `React ${emoji}` }, emoji),
          'Reacting', [conv, 'sendReaction'], () => react(msg, emoji, mineFor(emoji))))),
    );
  };

  // Reloads run one after another: stream events can arrive in bursts.
  const reload = () => {
    const current = conv;
    loading = loading.then(async () => {
      if (!current || current !== conv) return;
      const all = await current.messages();
      if (current !== conv) return;
      const byId = new Map(all.map((m) => [m.id, m]));
      const reactions = tallyReactions(all);
      const shown = all.filter(ownLine);
      unpublished = all.some((m) => m.senderInboxId === me && m.deliveryStatus === xmtp.DeliveryStatus.Unpublished);
      const atBottom = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 40;
      fill(timeline, shown.length
        ? shown.map((m) => messageItem(m, byId, reactions))
        : h('li', { className: 'muted system' }, 'No messages yet. Say hello!'));
      if (atBottom) timeline.scrollTop = timeline.scrollHeight;
      onRead(current.id, all.at(-1));
    }).catch((err) => showError('Loading messages', err));
    return loading;
  };

  const show = async (next) => {
    clearTimeout(retryTimer);
    retryTimer = null;
    conv = next;
    setReply(null);
    root.hidden = false;
    detailsButton.hidden = isDm(conv);
    await refreshHeader();
    await reload();
    await publish();
  };

  // Learns the names of the members (new ones after a membership change), the title, and
  // whether this user may still write here (a removed member reads the history only).
  const refreshHeader = async () => {
    if (offers(conv, 'members')) await people.learn(await conv.members());
    title.textContent = await titleOf(conv, people);
    const active = offers(conv, 'isActive') ? await conv.isActive() : true;
    subtitle.textContent = !active
      ? 'You are no longer a member of this group'
      : isDm(conv) ? 'Direct message' : 'Group';
    if (!offers(conv, 'sendText')) {
      input.disabled = true;
      notAvailable(sendButton, 'sendText');
      return;
    }
    input.disabled = !active;
    sendButton.disabled = !active;
    if (active) sendButton.removeAttribute('title');
    else sendButton.title = 'You are no longer a member of this group';
  };

  const messageArrived = (msg) => {
    if (!conv || msg.conversationId !== conv.id) return;
    if (msg.senderInboxId !== me && ownLine(msg)) {
      announce(`${people.name(msg.senderInboxId)}: ${textOf(msg, people)}`);
    }
    if (!isGroupUpdate(msg)) {
      reload();
      return;
    }
    onGroupChanged();
    // The conversation's metadata is as of its last sync: sync, then show the new name.
    publish().then(refreshHeader).catch((err) => showError('Updating the conversation', err));
  };

  fill(root,
    h('header', { className: 'chat-header' }, h('div', {}, title, subtitle), detailsButton),
    timeline,
    composer);
  root.hidden = true;
  return { show: (c) => show(c).catch((err) => showError('Opening the conversation', err)), messageArrived, reload };
}
