// The demo app: loads the goxmtp module, lets the user pick an identity, then shows the
// conversations, the open chat and the group panel. The node it talks to is XMTP's "local"
// endpoint unless the page's URL names another (?node=http://host:port).
import * as xmtp from 'goxmtp';
import { chatView } from './chat.js';
import { conversationList, isDm } from './conversations.js';
import { groupSettings } from './groupsettings.js';
import { accountPanel, chooseIdentity } from './identity.js';
import { newConversationDialog } from './newconversation.js';
import { nodeStatus } from './nodestatus.js';
import { People } from './people.js';
import { h } from './ui.js';

const apiUrl = new URLSearchParams(location.search).get('node') ?? xmtp.ApiUrls.local;
const $ = (id) => document.getElementById(id);

function startApp(client, record) {
  // Another tab took the database over: this one can no longer read or send.
  client.addEventListener('ownershiplost', () => {
    $('app-screen').hidden = true;
    const screen = $('identity-screen');
    screen.hidden = false;
    screen.replaceChildren(
      h('h2', {}, 'Opened in another tab'),
      h('p', {}, 'This identity is now used in another tab of this browser, so this tab stopped.'),
      h('button', { type: 'button', className: 'primary', onClick: () => location.reload() }, 'Use it here again'),
    );
  });
  $('identity-screen').hidden = true;
  $('app-screen').hidden = false;
  $('topbar-end').append(accountPanel(client, record));

  const people = new People(client);
  const settingsPanel = $('group-settings');
  let open = null;

  const settings = groupSettings(settingsPanel, client, people, {
    onChanged: () => {
      chat.reload();
      list.refresh();
    },
  });
  const chat = chatView($('chat'), client, people, {
    onRead: (convId, msg) => list.markRead(convId, msg),
    onSent: () => list.refresh(),
    onDetails: (button) => {
      settingsPanel.hidden = !settingsPanel.hidden;
      button.setAttribute('aria-expanded', String(!settingsPanel.hidden));
      if (!settingsPanel.hidden) settings.show(open);
    },
    onGroupChanged: () => {
      if (!settingsPanel.hidden) settings.refresh();
    },
  });
  const list = conversationList(client, people, {
    chats: $('conversation-list'),
    requests: $('request-list'),
    onOpen: (conv) => {
      open = conv;
      $('chat-placeholder').hidden = true;
      chat.show(conv);
      if (isDm(conv)) settingsPanel.hidden = true;
      else if (!settingsPanel.hidden) settings.show(conv);
    },
    onMessage: (msg) => chat.messageArrived(msg),
  });
  newConversationDialog($('new-conversation'), client, async (conv) => {
    await list.refresh();
    list.open(conv);
  });
}

async function boot() {
  $('topbar-end').append(nodeStatus(apiUrl));
  const status = $('status');
  try {
    const info = await xmtp.version();
    status.textContent = `Ready: goxmtp ${info.version}, MLS ciphersuite ${info.ciphersuite}. Node: ${apiUrl}`;
    status.className = 'ready';
  } catch (err) {
    status.textContent = `The module failed to start (${err.code}): ${err.message}`;
    status.className = 'failed';
    return;
  }
  chooseIdentity($('identity-screen'), { clientOptions: { env: 'local', apiUrl }, onClient: startApp });
}

boot();
