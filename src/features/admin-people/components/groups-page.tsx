import { Button, ComboBox, InlineNotification, Modal, Tag, TextInput } from '@carbon/react';
import { Add } from '@carbon/icons-react';
import { useState, type FormEvent } from 'react';
import type { AdminUser, Group } from '../../../../contract/admin';
import { errorMessage } from '../../../lib/error-message';
import { useGroupAction, useGroups, useUsersPage } from '../api/admin-people';

/** /admin/groups: groups, their names and their members. */
export function GroupsPage() {
  const groups = useGroups();
  const action = useGroupAction();
  const [name, setName] = useState('');
  const [editing, setEditing] = useState<Group | null>(null);
  const [deleting, setDeleting] = useState<Group | null>(null);
  const create = (event: FormEvent) => {
    event.preventDefault();
    action.mutate({ kind: 'create', name }, { onSuccess: () => setName('') });
  };

  return (
    <section className="courier-page" aria-labelledby="admin-groups-title">
      <title>Groups · Admin · Courier</title>
      <h1 id="admin-groups-title" className="courier-page__title">
        Groups
      </h1>
      <form className="courier-admin__toolbar" onSubmit={create}>
        <TextInput id="new-group-name" labelText="New group name" value={name} onChange={(e) => setName(e.target.value)} />
        <Button type="submit" renderIcon={Add} disabled={action.isPending || name.trim() === ''}>
          Create group
        </Button>
      </form>
      {action.error && !editing && !deleting ? (
        <InlineNotification kind="error" lowContrast hideCloseButton title="Not done" subtitle={errorMessage(action.error)} />
      ) : null}
      {groups.error ? (
        <InlineNotification
          kind="error"
          lowContrast
          hideCloseButton
          title="The groups could not be listed"
          subtitle={errorMessage(groups.error)}
        />
      ) : null}
      {groups.isPending ? <p className="courier-files-state">Loading groups…</p> : null}
      {groups.data?.groups.length === 0 ? <p className="courier-files-state">No groups yet.</p> : null}
      <ul className="courier-admin__stack" aria-label="Groups">
        {groups.data?.groups.map((group) => (
          <li key={group.id} className="courier-admin__group">
            <h2 className="cds--type-heading-02">{group.name}</h2>
            <p>
              {group.memberIds.length} {group.memberIds.length === 1 ? 'member' : 'members'}
            </p>
            <Button kind="ghost" size="sm" onClick={() => setEditing(group)} aria-label={`Edit ${group.name}`}>
              Edit
            </Button>
            <Button kind="danger--ghost" size="sm" onClick={() => setDeleting(group)} aria-label={`Delete ${group.name}`}>
              Delete
            </Button>
          </li>
        ))}
      </ul>
      {editing ? (
        <EditGroupModal group={groups.data?.groups.find((g) => g.id === editing.id) ?? editing} onClose={() => setEditing(null)} />
      ) : null}
      {deleting ? (
        <Modal
          open
          danger
          modalHeading={`Delete the group ${deleting.name}?`}
          primaryButtonText="Delete group"
          secondaryButtonText="Cancel"
          onRequestClose={() => setDeleting(null)}
          onRequestSubmit={() => action.mutate({ kind: 'delete', id: deleting.id }, { onSuccess: () => setDeleting(null) })}
        >
          <p>Its members stay; the roles the group had in spaces go with it.</p>
          {action.error ? (
            <InlineNotification kind="error" lowContrast hideCloseButton title="Not deleted" subtitle={errorMessage(action.error)} />
          ) : null}
        </Modal>
      ) : null}
    </section>
  );
}

/** Member names: the users page searched by what the admin types, one page at a time. */
function EditGroupModal({ group, onClose }: { group: Group; onClose: () => void }) {
  const action = useGroupAction();
  const [name, setName] = useState(group.name);
  const [search, setSearch] = useState('');
  const candidates = useUsersPage({ search, offset: 0, limit: 20 });
  // Members' names: read by id from a page big enough for a group; a larger group shows ids past it.
  const members = useUsersPage({ search: '', offset: 0, limit: 200 });
  const known = new Map((members.data?.users ?? []).concat(candidates.data?.users ?? []).map((u) => [u.id, u]));
  const [status, setStatus] = useState('');

  return (
    <Modal open passiveModal modalHeading={`Edit ${group.name}`} onRequestClose={onClose} size="md">
      <div className="courier-admin__stack">
        <form
          className="courier-admin__toolbar"
          onSubmit={(event) => {
            event.preventDefault();
            action.mutate({ kind: 'rename', id: group.id, name }, { onSuccess: () => setStatus(`Renamed to ${name}.`) });
          }}
        >
          <TextInput id="group-name" labelText="Group name" value={name} onChange={(e) => setName(e.target.value)} />
          <Button type="submit" kind="secondary" size="md" disabled={action.isPending}>
            Rename
          </Button>
        </form>
        <ComboBox<AdminUser>
          id="add-member"
          titleText="Add a member"
          placeholder="Type a username or name"
          items={(candidates.data?.users ?? []).filter((u) => !group.memberIds.includes(u.id))}
          itemToString={(user) => (user ? `${user.displayName} (${user.username})` : '')}
          onInputChange={(text) => setSearch(text)}
          selectedItem={null}
          onChange={({ selectedItem }) => {
            if (selectedItem)
              action.mutate(
                { kind: 'add', id: group.id, userId: selectedItem.id },
                { onSuccess: () => setStatus(`Added ${selectedItem.username}.`) },
              );
          }}
        />
        <div>
          <h2 className="cds--label">Members</h2>
          {group.memberIds.length === 0 ? <p>No members yet.</p> : null}
          <ul aria-label="Members">
            {group.memberIds.map((id) => {
              const user = known.get(id);
              const label = user ? `${user.displayName} (${user.username})` : id;
              return (
                <li key={id}>
                  <Tag
                    type="gray"
                    filter
                    title={`Remove ${label}`}
                    onClose={() =>
                      action.mutate({ kind: 'remove', id: group.id, userId: id }, { onSuccess: () => setStatus(`Removed ${label}.`) })
                    }
                  >
                    {label}
                  </Tag>
                </li>
              );
            })}
          </ul>
        </div>
        <p role="status">{status}</p>
        {action.error ? (
          <InlineNotification kind="error" lowContrast hideCloseButton title="Not done" subtitle={errorMessage(action.error)} />
        ) : null}
      </div>
    </Modal>
  );
}
