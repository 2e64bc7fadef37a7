// The "New conversation" dialog: a group (members by address or inbox id, a name, a description
// and a permissions preset) or a DM with one person.
import * as xmtp from 'goxmtp';
import { parseEntries, resolveInboxIds } from './people.js';
import { appError, h, notAvailable, offers, showError } from './ui.js';

/**
 * Wires `button` to open the dialog; `onCreated(conv)` receives the new conversation. The
 * button is inert until the package can create groups.
 */
export function newConversationDialog(button, client, onCreated) {
  const conversations = client.conversations;
  if (!offers(conversations, 'createGroup') && !offers(conversations, 'createDm')) {
    return notAvailable(button, 'conversations.createGroup');
  }

  const kindGroup = h('input', { type: 'radio', name: 'kind', value: 'group', id: 'kind-group' });
  const kindDm = h('input', { type: 'radio', name: 'kind', value: 'dm', id: 'kind-dm' });
  if (!offers(conversations, 'createDm')) notAvailable(kindDm, 'conversations.createDm');
  if (!offers(conversations, 'createGroup')) notAvailable(kindGroup, 'conversations.createGroup');
  const defaultKind = kindGroup.disabled ? kindDm : kindGroup;
  const members = h('textarea', { id: 'new-members', rows: 3, required: true, spellcheck: 'false', placeholder: '0x… address or inbox id, one per line' });
  const name = h('input', { id: 'new-name', type: 'text', maxlength: 100 });
  const description = h('input', { id: 'new-description', type: 'text', maxlength: 1000 });
  const preset = h(
    'select',
    { id: 'new-permissions' },
    h('option', { value: xmtp.GroupPermissionsOptions.Default }, 'Everyone may add members and edit the details'),
    h('option', { value: xmtp.GroupPermissionsOptions.AdminOnly }, 'Only admins may add members and edit the details'),
  );
  const groupFields = h('fieldset', { className: 'group-only' },
    h('legend', {}, 'Group'),
    h('label', { for: 'new-name' }, 'Name'), name,
    h('label', { for: 'new-description' }, 'Description (optional)'), description,
    h('label', { for: 'new-permissions' }, 'Permissions'), preset);
  const status = h('p', { role: 'status', className: 'muted' });
  const submit = h('button', { type: 'submit', className: 'primary', id: 'create-conversation' }, 'Create');

  const create = async () => {
    const ids = await resolveInboxIds(client, parseEntries(members.value));
    if (kindDm.checked) {
      if (ids.length !== 1) throw appError('demo.bad_entry', 'a DM is with exactly one person');
      return conversations.createDm(ids[0]);
    }
    return conversations.createGroup(ids, {
      groupName: name.value.trim(),
      groupDescription: description.value.trim(),
      permissions: Number(preset.value),
    });
  };

  const dialog = h(
    'dialog',
    { id: 'new-conversation-dialog', 'aria-labelledby': 'new-conversation-title' },
    h(
      'form',
      {
        method: 'dialog',
        onSubmit: async (event) => {
          event.preventDefault();
          submit.disabled = true;
          status.textContent = 'Creating…';
          try {
            const conv = await create();
            dialog.close();
            onCreated(conv);
          } catch (err) {
            showError('Creating the conversation', err);
          } finally {
            submit.disabled = false;
            status.textContent = '';
          }
        },
      },
      h('h2', { id: 'new-conversation-title' }, 'New conversation'),
      h('div', { className: 'row', role: 'radiogroup', 'aria-label': 'Kind' },
        h('label', {}, kindGroup, ' Group'), h('label', {}, kindDm, ' Direct message')),
      h('label', { for: 'new-members' }, 'With (Ethereum addresses or inbox ids)'),
      members,
      groupFields,
      status,
      h('div', { className: 'row end' },
        h('button', { type: 'button', onClick: () => dialog.close() }, 'Cancel'),
        submit),
    ),
  );
  const showKind = () => {
    groupFields.hidden = kindDm.checked;
  };
  kindGroup.addEventListener('change', showKind);
  kindDm.addEventListener('change', showKind);
  document.body.append(dialog);
  button.addEventListener('click', () => {
    dialog.querySelector('form').reset();
    defaultKind.checked = true;
    showKind();
    dialog.showModal();
    members.focus();
  });
  return button;
}
