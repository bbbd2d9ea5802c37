import {
  Button,
  InlineNotification,
  Modal,
  Pagination,
  PasswordInput,
  RadioButton,
  RadioButtonGroup,
  Search,
  TableCell,
  TableRow,
  Tag,
  TextInput,
  Toggle,
} from '@carbon/react';
import { Add } from '@carbon/icons-react';
import { useDeferredValue, useState, type FormEvent } from 'react';
import type { AdminUser } from '../../../../contract/admin';
import { errorMessage } from '../../../lib/error-message';
import { useCreateUser, useDeleteUser, useLoginLocks, useResetPassword, useUnlock, useUpdateUser, useUsersPage } from '../api/admin-people';
import { DataTableFrame } from '../../../components/table/data-table-frame';

const PAGE_SIZES = [25, 50, 100];
const FIRST_PAGE_SIZE = 25;

function ErrorNote({ error, title }: { error: unknown; title: string }) {
  if (!error) return null;
  return <InlineNotification kind="error" lowContrast hideCloseButton title={title} subtitle={errorMessage(error)} />;
}

/** /admin/users: everyone, searched and paged on the server, and what an admin may do to each. */
export function UsersPage({ currentUserId }: { currentUserId: string }) {
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(FIRST_PAGE_SIZE);
  const users = useUsersPage({ search: deferredSearch, offset: (page - 1) * pageSize, limit: pageSize });
  const [creating, setCreating] = useState(false);
  const [managing, setManaging] = useState<AdminUser | null>(null);
  const [deleting, setDeleting] = useState<AdminUser | null>(null);
  const total = users.data?.total ?? 0;

  return (
    <section className="courier-page" aria-labelledby="admin-users-title">
      <title>Users · Admin · Courier</title>
      <h1 id="admin-users-title" className="courier-page__title">
        Users
      </h1>
      <div className="courier-admin__toolbar">
        <Search
          labelText="Search users"
          placeholder="Search by username, name or email"
          size="lg"
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            setPage(1);
          }}
        />
        <Button renderIcon={Add} onClick={() => setCreating(true)}>
          Create user
        </Button>
      </div>
      <ErrorNote error={users.error} title="The users could not be listed" />
      <p role="status" className="cds--visually-hidden">
        {users.data ? `${total} ${total === 1 ? 'user' : 'users'} found` : ''}
      </p>
      <DataTableFrame
        label="Users"
        headers={['Username', 'Name', 'Email', 'Role and status', <span className="cds--visually-hidden">Actions</span>]}
      >
        {users.data?.users.map((user) => (
          <TableRow key={user.id}>
            <TableCell>{user.username}</TableCell>
            <TableCell>{user.displayName}</TableCell>
            <TableCell>{user.email ?? ''}</TableCell>
            <TableCell>
              {user.isAdmin ? <Tag type="blue">Admin</Tag> : null}
              {user.disabled ? <Tag type="red">Disabled</Tag> : null}
            </TableCell>
            <TableCell>
              <Button kind="ghost" size="sm" onClick={() => setManaging(user)} aria-label={`Manage ${user.username}`}>
                Manage
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </DataTableFrame>
      {users.isPending ? <p className="courier-files-state">Loading users…</p> : null}
      {users.data && total === 0 ? <p className="courier-files-state">No user matches “{deferredSearch}”.</p> : null}
      <Pagination
        page={page}
        pageSize={pageSize}
        pageSizes={PAGE_SIZES}
        totalItems={total}
        onChange={({ page: next, pageSize: size }) => {
          setPage(next);
          setPageSize(size);
        }}
      />
      {creating ? <CreateUserModal onClose={() => setCreating(false)} /> : null}
      {managing ? (
        <ManageUserModal
          user={managing}
          isSelf={managing.id === currentUserId}
          onClose={() => setManaging(null)}
          onDelete={() => {
            setDeleting(managing);
            setManaging(null);
          }}
        />
      ) : null}
      {deleting ? <DeleteUserModal user={deleting} onClose={() => setDeleting(null)} /> : null}
    </section>
  );
}

function CreateUserModal({ onClose }: { onClose: () => void }) {
  const create = useCreateUser();
  const [form, setForm] = useState({ username: '', displayName: '', email: '', password: '', isAdmin: false });
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    create.mutate(
      {
        username: form.username,
        displayName: form.displayName,
        password: form.password,
        isAdmin: form.isAdmin,
        ...(form.email.trim() ? { email: form.email } : {}),
      },
      { onSuccess: onClose },
    );
  };
  return (
    <Modal
      open
      modalHeading="Create user"
      primaryButtonText={create.isPending ? 'Creating…' : 'Create'}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={create.isPending}
      onRequestClose={onClose}
      onRequestSubmit={() => submit()}
    >
      <form className="courier-admin__stack" onSubmit={submit}>
        <TextInput
          id="new-username"
          labelText="Username"
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
          data-modal-primary-focus
        />
        <TextInput
          id="new-display-name"
          labelText="Display name"
          value={form.displayName}
          onChange={(e) => setForm({ ...form, displayName: e.target.value })}
        />
        <TextInput
          id="new-email"
          labelText="Email (optional)"
          type="email"
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
        <PasswordInput
          id="new-password"
          labelText="Password"
          helperText="At least 8 characters"
          autoComplete="new-password"
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
        <Toggle id="new-is-admin" labelText="Administrator" toggled={form.isAdmin} onToggle={(isAdmin) => setForm({ ...form, isAdmin })} />
        <ErrorNote error={create.error} title="The user was not created" />
        <button type="submit" hidden />
      </form>
    </Modal>
  );
}

function ManageUserModal({
  user,
  isSelf,
  onClose,
  onDelete,
}: {
  user: AdminUser;
  isSelf: boolean;
  onClose: () => void;
  onDelete: () => void;
}) {
  const update = useUpdateUser();
  const reset = useResetPassword();
  const locks = useLoginLocks();
  const unlock = useUnlock();
  const [current, setCurrent] = useState(user);
  const [displayName, setDisplayName] = useState(user.displayName);
  const [email, setEmail] = useState(user.email ?? '');
  const [saved, setSaved] = useState('');
  const account = user.username.toLowerCase();
  const userLocks = (locks.data?.locks ?? []).filter((lock) => lock.account === account);

  const change = (changes: Parameters<typeof update.mutate>[0]['changes'], done: string) =>
    update.mutate(
      { id: user.id, changes },
      {
        onSuccess: (next) => {
          setCurrent(next);
          setSaved(done);
        },
      },
    );

  return (
    <Modal open passiveModal modalHeading={`Manage ${user.username}`} onRequestClose={onClose} size="md">
      <div className="courier-admin__stack">
        <form
          className="courier-admin__stack"
          onSubmit={(event) => {
            event.preventDefault();
            change({ displayName, email }, 'Name and email saved.');
          }}
        >
          <TextInput id="edit-display-name" labelText="Display name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          <TextInput id="edit-email" labelText="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          <Button type="submit" kind="secondary" size="md" disabled={update.isPending}>
            Save name and email
          </Button>
        </form>
        <Toggle
          id="edit-is-admin"
          labelText="Administrator"
          toggled={current.isAdmin}
          disabled={isSelf || update.isPending}
          onToggle={(isAdmin) => change({ isAdmin }, isAdmin ? 'Now an administrator.' : 'No longer an administrator.')}
        />
        <Toggle
          id="edit-enabled"
          labelText="Account enabled"
          labelA="Disabled"
          labelB="Enabled"
          toggled={!current.disabled}
          disabled={isSelf || update.isPending}
          onToggle={(enabled) => change({ disabled: !enabled }, enabled ? 'Account enabled.' : 'Account disabled; its sessions ended.')}
        />
        <p className="cds--form__helper-text">
          {isSelf ? 'You cannot take away your own admin role or disable your own account.' : 'Disabling logs the user out at once.'}
        </p>
        <p role="status">{saved}</p>
        <ErrorNote error={update.error} title="Not changed" />

        <div>
          <h2 className="cds--label">Login lock</h2>
          {locks.isPending ? <p>Checking…</p> : null}
          {locks.data && userLocks.length === 0 ? <p>Not locked.</p> : null}
          {userLocks.length > 0 ? (
            <>
              <p>
                Locked after {Math.max(...userLocks.map((l) => l.failures))} failed logins, until{' '}
                {new Date(userLocks.reduce((last, l) => (l.lockedUntil > last ? l.lockedUntil : last), '')).toLocaleString()}.
              </p>
              <Button kind="tertiary" size="md" disabled={unlock.isPending} onClick={() => unlock.mutate(userLocks.map((l) => l.key))}>
                Unlock
              </Button>
            </>
          ) : null}
          <ErrorNote error={unlock.error ?? locks.error} title="Login locks" />
        </div>

        <div>
          <h2 className="cds--label">Password</h2>
          {reset.data ? (
            <>
              <p>One-time password, shown only now. Give it to {user.displayName}:</p>
              <p>
                <code className="courier-admin__secret" data-testid="one-time-password">
                  {reset.data.password}
                </code>
              </p>
            </>
          ) : (
            <Button kind="tertiary" size="md" disabled={reset.isPending} onClick={() => reset.mutate(user.id)}>
              Reset password
            </Button>
          )}
          <ErrorNote error={reset.error} title="The password was not reset" />
        </div>

        {isSelf ? null : (
          <Button kind="danger--tertiary" size="md" onClick={onDelete}>
            Delete user…
          </Button>
        )}
      </div>
    </Modal>
  );
}

function DeleteUserModal({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  const remove = useDeleteUser();
  const [personalSpace, setPersonalSpace] = useState<'keep' | 'delete' | ''>('');
  const [transfers, setTransfers] = useState<'keep' | 'delete' | ''>('');
  return (
    <Modal
      open
      danger
      modalHeading={`Delete ${user.username}?`}
      primaryButtonText={remove.isPending ? 'Deleting…' : 'Delete user'}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={personalSpace === '' || transfers === '' || remove.isPending}
      onRequestClose={onClose}
      onRequestSubmit={() => {
        if (personalSpace !== '' && transfers !== '') remove.mutate({ id: user.id, personalSpace, transfers }, { onSuccess: onClose });
      }}
    >
      <div className="courier-admin__stack">
        <RadioButtonGroup
          legendText={`What happens to ${user.displayName}'s personal space (My files)?`}
          name="personal-space"
          orientation="vertical"
          valueSelected={personalSpace}
          onChange={(value) => setPersonalSpace(value as 'keep' | 'delete')}
        >
          <RadioButton
            id="space-keep"
            value="keep"
            labelText={`Keep it as a shared space, “${user.displayName}'s files”, managed by admins`}
          />
          <RadioButton id="space-delete" value="delete" labelText="Delete it and every file in it" />
        </RadioButtonGroup>
        <RadioButtonGroup
          legendText={`What happens to ${user.displayName}'s transfer history?`}
          name="transfer-history"
          orientation="vertical"
          valueSelected={transfers}
          onChange={(value) => setTransfers(value as 'keep' | 'delete')}
        >
          <RadioButton id="transfers-keep" value="keep" labelText="Keep it: the records still show who moved what" />
          <RadioButton id="transfers-delete" value="delete" labelText="Delete it with them" />
        </RadioButtonGroup>
        <p>
          Records of transfers in a personal space that is deleted go with the space. Their username becomes free for someone new. This
          cannot be undone.
        </p>
        <ErrorNote error={remove.error} title="The user was not deleted" />
      </div>
    </Modal>
  );
}
