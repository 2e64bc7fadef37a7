// The group panel: name, description and image URL; members with their roles (member, admin,
// super admin) and the actions on them; the permission policies. Every control is enabled only
// for those the group's policies allow, so the panel shows what this user may really do.
import * as xmtp from 'goxmtp';
import { parseEntries, resolveInboxIds } from './people.js';
import { action, fill, h, notAvailable, offers, showError } from './ui.js';

const { PermissionLevel: Level, PermissionPolicy: Policy, PermissionUpdateType: Update, MetadataField: Field } = xmtp;

const roleNames = { [Level.Member]: 'Member', [Level.Admin]: 'Admin', [Level.SuperAdmin]: 'Super admin' };
const policyNames = {
  [Policy.Allow]: 'Every member',
  [Policy.Admin]: 'Admins',
  [Policy.SuperAdmin]: 'Super admins',
  [Policy.Deny]: 'Nobody',
  [Policy.DoesNotExist]: 'Not set',
  [Policy.Other]: 'A combined rule',
};

// The policies the panel shows: what the policy set calls each, and how updatePermission names it.
// Admin-list policies cannot be "every member" in XMTP.
const permissionRows = [
  { key: 'addMemberPolicy', label: 'Add members', type: Update.AddMember },
  { key: 'removeMemberPolicy', label: 'Remove members', type: Update.RemoveMember },
  { key: 'addAdminPolicy', label: 'Make admins', type: Update.AddAdmin, noAllow: true },
  { key: 'removeAdminPolicy', label: 'Remove admins', type: Update.RemoveAdmin, noAllow: true },
  { key: 'updateGroupNamePolicy', label: 'Rename', type: Update.UpdateMetadata, field: Field.GroupName },
  { key: 'updateGroupDescriptionPolicy', label: 'Edit the description', type: Update.UpdateMetadata, field: Field.Description },
  { key: 'updateGroupImageUrlSquarePolicy', label: 'Change the image', type: Update.UpdateMetadata, field: Field.GroupImageUrlSquare },
];

/** Whether a member at `level` passes `policy`. Combined rules are left to the group to decide. */
function allows(policy, level) {
  switch (policy) {
    case Policy.Allow: return true;
    case Policy.Deny: return false;
    case Policy.Admin: return level >= Level.Admin;
    case Policy.SuperAdmin: return level === Level.SuperAdmin;
    default: return true;
  }
}

/**
 * A button for a group call: "not available yet" without the method, disabled with the reason
 * when this user's role may not, else wired to `run` followed by a refresh.
 */
function groupButton(text, { group, method, permitted, label, run, after }) {
  const button = h('button', { type: 'button', className: 'small' }, text);
  if (!offers(group, method)) return notAvailable(button, method);
  if (!permitted) {
    button.disabled = true;
    button.title = 'Your role in this group may not do this';
    return button;
  }
  return action(button, label, [group, method], async () => {
    await run();
    await after();
  });
}

/**
 * Renders the panel of the open group into `root`. `onChanged()` runs after each change this
 * user makes (the timeline shows the commit). Returns {show(group), refresh()}.
 */
export function groupSettings(root, client, people, { onChanged }) {
  let group = null;
  let refreshing = Promise.resolve();

  const metadataRow = (id, labelText, value, method, permitted) => {
    const input = h('input', { id, type: id === 'group-image' ? 'url' : 'text', value: value ?? '', dataset: { saved: value ?? '' } });
    const save = groupButton('Save', {
      group, method, permitted, label: `Changing ${labelText.toLowerCase()}`,
      run: () => group[method](input.value.trim()),
      after: changed,
    });
    if (save.disabled) input.readOnly = true;
    return h('div', { className: 'field' }, h('label', { for: id }, labelText), h('div', { className: 'row' }, input, save));
  };

  const memberItem = (m, myLevel, policies) => {
    const level = m.permissionLevel;
    const isMe = m.inboxId === client.inboxId;
    const call = (text, method, permitted) => groupButton(text, {
      group, method, permitted, label: text, run: () => group[method](method.endsWith('Members') ? [m.inboxId] : m.inboxId), after: changed,
    });
    return h(
      'li',
      { dataset: { inboxId: m.inboxId } },
      h('span', { className: 'member-name', title: people.describe(m.inboxId) }, people.name(m.inboxId)),
      h('span', { className: `badge role-${level}` }, roleNames[level] ?? 'Member'),
      h('span', { className: 'row' },
        level === Level.Member ? call('Make admin', 'addAdmin', allows(policies.addAdminPolicy, myLevel)) : null,
        level === Level.Admin ? call('Remove admin', 'removeAdmin', allows(policies.removeAdminPolicy, myLevel)) : null,
        level !== Level.SuperAdmin ? call('Make super admin', 'addSuperAdmin', myLevel === Level.SuperAdmin) : null,
        level === Level.SuperAdmin ? call('Remove super admin', 'removeSuperAdmin', myLevel === Level.SuperAdmin) : null,
        isMe ? null : call('Remove', 'removeMembers',
          allows(policies.removeMemberPolicy, myLevel) && (level !== Level.SuperAdmin || myLevel === Level.SuperAdmin))),
    );
  };

  const permissionRow = (row, current, myLevel) => {
    const id = `policy-${row.key}`;
    const choices = [Policy.Allow, Policy.Admin, Policy.SuperAdmin, Policy.Deny].filter((p) => !(row.noAllow && p === Policy.Allow));
    if (!choices.includes(current)) choices.push(current);
    const select = h('select', { id }, choices.map((p) => h('option', { value: p, selected: p === current }, policyNames[p])));
    if (!offers(group, 'updatePermission')) notAvailable(select, 'updatePermission');
    else if (myLevel !== Level.SuperAdmin) {
      select.disabled = true;
      select.title = 'Only super admins may change permissions';
    } else {
      select.addEventListener('change', async () => {
        select.disabled = true;
        try {
          await group.updatePermission(row.type, Number(select.value), row.field);
          await changed();
        } catch (err) {
          showError(`Changing who may ${row.label.toLowerCase()}`, err);
          select.value = current;
        } finally {
          select.disabled = false;
        }
      });
    }
    return h('tr', {}, h('th', { scope: 'row' }, h('label', { for: id }, row.label)), h('td', {}, select));
  };

  const render = async () => {
    if (offers(group, 'sync')) {
      // Fresh metadata and roles when the node answers; what is stored locally when it does not.
      await group.sync().catch((err) => {
        if (err.code !== 'api.unavailable') throw err;
      });
    }
    // Super admins first, then admins, then members.
    const members = (offers(group, 'members') ? await group.members() : [])
      .sort((a, b) => b.permissionLevel - a.permissionLevel);
    await people.learn(members);
    const myLevel = members.find((m) => m.inboxId === client.inboxId)?.permissionLevel ?? Level.Member;
    const { policySet } = offers(group, 'permissions') ? await group.permissions() : { policySet: null };
    const policies = policySet ?? {};

    const addInput = h('input', { id: 'add-members', type: 'text', spellcheck: 'false', placeholder: '0x… address or inbox id', 'aria-label': 'Members to add', dataset: { saved: '' } });
    const addButton = groupButton('Add', {
      group, method: 'addMembers', permitted: allows(policies.addMemberPolicy, myLevel), label: 'Adding members',
      run: async () => group.addMembers(await resolveInboxIds(client, parseEntries(addInput.value))),
      after: changed,
    });
    if (addButton.disabled) addInput.disabled = true;

    // A refresh (another member's change, or this user's previous save) must not eat what the
    // user is typing: edited fields keep their text, and the focus stays where it was.
    const edits = [...root.querySelectorAll('input[data-saved]')].filter((i) => i.value !== i.dataset.saved);
    const focused = root.contains(document.activeElement) ? document.activeElement.id : null;
    fill(
      root,
      h('h2', {}, 'Group details'),
      h('section', { 'aria-labelledby': 'details-title' },
        h('h3', { id: 'details-title' }, 'About'),
        group.imageUrl ? h('img', { className: 'group-image', src: group.imageUrl, alt: 'Group image' }) : null,
        metadataRow('group-name', 'Name', group.name, 'updateName', allows(policies.updateGroupNamePolicy, myLevel)),
        metadataRow('group-description', 'Description', group.description, 'updateDescription', allows(policies.updateGroupDescriptionPolicy, myLevel)),
        metadataRow('group-image', 'Image URL', group.imageUrl, 'updateImageUrl', allows(policies.updateGroupImageUrlSquarePolicy, myLevel))),
      h('section', { 'aria-labelledby': 'members-title' },
        h('h3', { id: 'members-title' }, `Members (${members.length})`),
        offers(group, 'members')
          ? h('ul', { id: 'members', className: 'members' }, members.map((m) => memberItem(m, myLevel, policies)))
          : notAvailable(h('p', { className: 'muted' }, 'Member list: not available yet'), 'members'),
        h('div', { className: 'row' }, addInput, addButton)),
      h('section', { 'aria-labelledby': 'permissions-title' },
        h('h3', { id: 'permissions-title' }, 'Who may…'),
        policySet
          ? h('table', { className: 'permissions' }, h('tbody', {}, permissionRows.map((row) => permissionRow(row, policies[row.key], myLevel))))
          : notAvailable(h('p', { className: 'muted' }, 'Permissions: not available yet'), 'permissions')),
    );
    for (const edit of edits) {
      const input = root.querySelector(`#${edit.id}`);
      if (input && !input.readOnly && !input.disabled) input.value = edit.value;
    }
    if (focused) root.querySelector(`#${focused}`)?.focus();
  };

  const refresh = () => {
    const current = group;
    refreshing = refreshing.then(() => (current && current === group ? render() : undefined))
      .catch((err) => showError('Loading the group details', err));
    return refreshing;
  };

  async function changed() {
    await refresh();
    onChanged();
  }

  return {
    show(next) {
      group = next;
      return refresh();
    },
    refresh,
  };
}
