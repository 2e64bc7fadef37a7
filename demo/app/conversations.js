// The conversations list: groups and DMs the user accepted, newest activity first, each with
// its last message and an unread marker; conversations started by others that the user has not
// accepted (consent unknown) or blocked (denied) are listed apart as requests.
import * as xmtp from 'goxmtp';
import { textOf } from './content.js';
import { action, fill, h, offers, showError, timeEl } from './ui.js';

/** Whether a conversation is a DM: only DMs have a peer. */
export function isDm(conv) {
  return offers(conv, 'peerInboxId');
}

/** The title of a conversation: a group's name, or the DM peer's name. */
export async function titleOf(conv, people) {
  if (!isDm(conv)) return conv.name || 'Unnamed group';
  const peer = await conv.peerInboxId();
  if (offers(conv, 'members')) await people.learn(await conv.members());
  return people.name(peer);
}

/** Last-read positions (sentAtNs per conversation) of one inbox, kept in this profile. */
class ReadMarks {
  #key;
  #marks;

  constructor(inboxId) {
    this.#key = `goxmtp-demo/read/${inboxId}`;
    this.#marks = JSON.parse(localStorage.getItem(this.#key) ?? '{}');
  }

  isUnread(convId, msg, me) {
    return Boolean(msg) && msg.senderInboxId !== me && BigInt(msg.sentAtNs) > BigInt(this.#marks[convId] ?? 0);
  }

  markRead(convId, msg) {
    if (!msg) return;
    this.#marks[convId] = String(msg.sentAtNs);
    localStorage.setItem(this.#key, JSON.stringify(this.#marks));
  }
}

/**
 * Lists the client's conversations into `chats` and `requests` and keeps them current from the
 * streams. `onOpen(conv)` runs when the user picks one; `onMessage(msg)` for every streamed
 * message. Returns {refresh, open, markRead}.
 */
export function conversationList(client, people, { chats, requests, onOpen, onMessage }) {
  const reads = new ReadMarks(client.inboxId);
  let openId = null;
  let rendering = Promise.resolve();

  const summary = async (conv) => {
    const consent = await conv.consentState();
    // A request says who it is from, so the user knows what to accept or block.
    if (consent !== xmtp.ConsentState.Allowed && conv.addedByInboxId) await people.learn([{ inboxId: conv.addedByInboxId }]);
    return {
      conv,
      consent,
      title: await titleOf(conv, people),
      last: (await conv.messages({ limit: 1, direction: xmtp.SortDirection.Descending }))[0],
    };
  };

  const item = ({ conv, title, last, consent }) => {
    const unread = conv.id !== openId && reads.isUnread(conv.id, last, client.inboxId);
    const open = h(
      'button',
      { type: 'button', className: 'conversation', 'aria-current': conv.id === openId ? 'true' : null, onClick: () => select(conv) },
      h('span', { className: 'title' }, title, isDm(conv) ? h('span', { className: 'badge' }, 'DM') : null),
      unread ? h('span', { className: 'unread', role: 'img', 'aria-label': 'unread' }) : null,
      h('span', { className: 'preview' }, last ? textOf(last, people) : 'No messages yet'),
      last ? timeEl(last.sentAt) : null,
    );
    if (consent === xmtp.ConsentState.Allowed) return h('li', { dataset: { id: conv.id } }, open);
    const setConsent = (state, label) => action(
      h('button', { type: 'button', className: state === xmtp.ConsentState.Allowed ? 'primary' : 'danger' }, label),
      `${label} the conversation`,
      [conv, 'updateConsentState'],
      async () => {
        await conv.updateConsentState(state);
        await refresh();
      },
    );
    return h(
      'li',
      { dataset: { id: conv.id } },
      open,
      conv.addedByInboxId
        ? h('p', { className: 'muted from', title: people.describe(conv.addedByInboxId) }, `From ${people.name(conv.addedByInboxId)}`)
        : null,
      h('div', { className: 'row' },
        consent === xmtp.ConsentState.Denied ? h('span', { className: 'muted' }, 'Blocked') : null,
        setConsent(xmtp.ConsentState.Allowed, 'Accept'),
        consent === xmtp.ConsentState.Denied ? null : setConsent(xmtp.ConsentState.Denied, 'Block')),
    );
  };

  // Renders run one after another so a burst of stream events cannot interleave two lists.
  const refresh = () => {
    rendering = rendering.then(async () => {
      const all = await Promise.all((await client.conversations.list()).map(summary));
      all.sort((a, b) => Number(BigInt(b.last?.sentAtNs ?? b.conv.createdAtNs ?? 0) - BigInt(a.last?.sentAtNs ?? a.conv.createdAtNs ?? 0)));
      const accepted = all.filter((s) => s.consent === xmtp.ConsentState.Allowed);
      const pending = all.filter((s) => s.consent !== xmtp.ConsentState.Allowed);
      fill(chats, accepted.length ? accepted.map(item) : h('li', { className: 'muted' }, 'No conversations yet.'));
      fill(requests, pending.length ? pending.map(item) : h('li', { className: 'muted' }, 'No requests.'));
    }).catch((err) => showError('Listing conversations', err));
    return rendering;
  };

  const select = (conv) => {
    openId = conv.id;
    onOpen(conv);
    refresh();
  };

  const start = async () => {
    if (offers(client.conversations, 'syncAll')) await client.conversations.syncAll();
    await refresh();
    if (offers(client.conversations, 'stream')) {
      await client.conversations.stream({
        onValue: () => refresh(),
        onError: (err) => showError('The new-conversation stream', err),
      });
    }
    if (offers(client.conversations, 'streamAllMessages')) {
      await client.conversations.streamAllMessages({
        onValue: (msg) => {
          onMessage(msg);
          refresh();
        },
        onError: (err) => showError('The message stream', err),
      });
    }
  };
  start().catch((err) => showError('Loading conversations', err));

  return {
    refresh,
    open: select,
    markRead: (convId, msg) => reads.markRead(convId, msg),
  };
}
