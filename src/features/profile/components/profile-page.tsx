import { Button, InlineNotification, PasswordInput, Stack, TableCell, TableRow, Tag, TextInput } from '@carbon/react';
import { useState, type FormEvent } from 'react';
import type { User } from '../../../../contract/session';
import { ApiTokensSection } from './api-tokens-section';
import { useChangePassword, useEndOtherSessions, useEndSession, useProfile, useProfileSessions, useUpdateProfile } from '../api/profile';
import { DataTableFrame } from '../../../components/table/data-table-frame';

// As the server checks it (contract/profile.ts); this only spares a round trip.
const looksLikeEmail = (value: string) => value === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);

function DetailsForm({ user, email: savedEmail }: { user: User; email: string | null }) {
  const [name, setName] = useState(user.displayName);
  const [email, setEmail] = useState(savedEmail ?? '');
  const update = useUpdateProfile();
  const validName = name.trim().length > 0 && name.trim().length <= 200;
  const validEmail = looksLikeEmail(email.trim()) && email.trim().length <= 320;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (validName && validEmail) update.mutate({ displayName: name.trim(), email: email.trim() });
  };
  return (
    <form className="courier-profile__section" aria-labelledby="profile-name-title" onSubmit={submit}>
      <Stack gap={5}>
        <h2 id="profile-name-title">Your details</h2>
        <p>
          Username: <strong>{user.username}</strong>
        </p>
        <TextInput
          id="profile-display-name"
          labelText="Display name"
          value={name}
          maxLength={200}
          invalid={!validName}
          invalidText="Enter a display name."
          onChange={(e) => setName(e.target.value)}
        />
        <TextInput
          id="profile-email"
          type="email"
          labelText="Email (optional)"
          helperText="Where Courier sends you notices: a file request answered, a link downloaded."
          autoComplete="email"
          value={email}
          maxLength={320}
          invalid={!validEmail}
          invalidText="Enter an email address like name@example.com, or leave it empty."
          onChange={(e) => setEmail(e.target.value)}
        />
        {update.isError ? (
          <InlineNotification kind="error" role="alert" lowContrast hideCloseButton title="Not saved." subtitle={update.error.message} />
        ) : null}
        {update.isSuccess ? <InlineNotification kind="success" role="status" lowContrast hideCloseButton title="Details saved." /> : null}
        <div>
          <Button type="submit" size="md" disabled={!validName || !validEmail || update.isPending}>
            {update.isPending ? 'Saving…' : 'Save details'}
          </Button>
        </div>
      </Stack>
    </form>
  );
}

export interface PasswordFormProps {
  /** Above the fields: why and what follows. */
  intro?: string;
  /** After the change is saved. */
  onChanged?: () => void;
}

export function PasswordForm({
  intro = 'Changing it signs you out everywhere else; this browser stays signed in.',
  onChanged,
}: PasswordFormProps) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const change = useChangePassword();
  const tooShort = next.length > 0 && next.length < 8;
  const mismatch = repeat.length > 0 && repeat !== next;
  const ready = current.length > 0 && next.length >= 8 && repeat === next;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    change.mutate(
      { currentPassword: current, newPassword: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setRepeat('');
          onChanged?.();
        },
      },
    );
  };
  return (
    <form className="courier-profile__section" aria-labelledby="profile-password-title" onSubmit={submit}>
      <Stack gap={5}>
        <h2 id="profile-password-title">Password</h2>
        <p>{intro}</p>
        <PasswordInput
          id="profile-current-password"
          labelText="Current password"
          autoComplete="current-password"
          value={current}
          invalid={change.error?.code === 'WRONG_PASSWORD'}
          invalidText="The current password is wrong."
          onChange={(e) => setCurrent(e.target.value)}
        />
        <PasswordInput
          id="profile-new-password"
          labelText="New password"
          autoComplete="new-password"
          value={next}
          invalid={tooShort}
          invalidText="Use at least 8 characters."
          onChange={(e) => setNext(e.target.value)}
        />
        <PasswordInput
          id="profile-repeat-password"
          labelText="Repeat the new password"
          autoComplete="new-password"
          value={repeat}
          invalid={mismatch}
          invalidText="The two new passwords differ."
          onChange={(e) => setRepeat(e.target.value)}
        />
        {change.isError && change.error.code !== 'WRONG_PASSWORD' ? (
          <InlineNotification kind="error" role="alert" lowContrast hideCloseButton title="Not changed." subtitle={change.error.message} />
        ) : null}
        {change.isSuccess ? (
          <InlineNotification
            kind="success"
            role="status"
            lowContrast
            hideCloseButton
            title="Password changed."
            subtitle={`${change.data.ended} other ${change.data.ended === 1 ? 'session' : 'sessions'} signed out.`}
          />
        ) : null}
        <div>
          <Button type="submit" size="md" disabled={!ready || change.isPending}>
            {change.isPending ? 'Changing…' : 'Change password'}
          </Button>
        </div>
      </Stack>
    </form>
  );
}

function SessionsList() {
  const sessions = useProfileSessions();
  const endOne = useEndSession();
  const endOthers = useEndOtherSessions();
  const others = sessions.data?.filter((s) => !s.current).length ?? 0;
  return (
    <section className="courier-profile__section" aria-labelledby="profile-sessions-title">
      <Stack gap={5}>
        <h2 id="profile-sessions-title">Where you are signed in</h2>
        {sessions.isPending ? <p>Loading your sessions…</p> : null}
        {sessions.isError ? (
          <InlineNotification
            kind="error"
            role="alert"
            lowContrast
            hideCloseButton
            title="Your sessions could not be listed."
            subtitle={sessions.error.message}
          />
        ) : null}
        {endOne.isError || endOthers.isError ? (
          <InlineNotification
            kind="error"
            role="alert"
            lowContrast
            hideCloseButton
            title="Not signed out."
            subtitle={(endOne.error ?? endOthers.error)?.message}
          />
        ) : null}
        <p role="status">{endOthers.isSuccess ? `${endOthers.data.ended} other sessions signed out.` : ''}</p>
        {sessions.data ? (
          <DataTableFrame
            label="Your sessions"
            headers={['Browser', 'Address', 'Signed in', 'Last seen', <span className="cds--visually-hidden">Actions</span>]}
          >
            {sessions.data.map((s) => (
              <TableRow key={s.id}>
                <TableCell className="courier-admin-cell--wrap">
                  {s.userAgent ?? 'Unknown browser'} {s.current ? <Tag type="green">This session</Tag> : null}
                </TableCell>
                <TableCell>{s.ip ?? '—'}</TableCell>
                <TableCell>
                  <time dateTime={s.createdAt}>{new Date(s.createdAt).toLocaleString()}</time>
                </TableCell>
                <TableCell>
                  <time dateTime={s.lastSeenAt}>{new Date(s.lastSeenAt).toLocaleString()}</time>
                </TableCell>
                <TableCell>
                  {s.current ? null : (
                    <Button kind="ghost" size="sm" disabled={endOne.isPending} onClick={() => endOne.mutate(s.id)}>
                      Sign out<span className="cds--visually-hidden"> the session of {s.userAgent ?? 'an unknown browser'}</span>
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </DataTableFrame>
        ) : null}
        <div>
          <Button kind="danger--tertiary" size="md" disabled={others === 0 || endOthers.isPending} onClick={() => endOthers.mutate()}>
            Sign out everywhere else
          </Button>
        </div>
      </Stack>
    </section>
  );
}

/** One's own account: name, password, the sessions signed in, and the API tokens. */
export function ProfilePage({ user }: { user: User }) {
  const profile = useProfile();
  return (
    <section className="courier-page courier-profile" aria-labelledby="profile-title">
      <title>Profile · Courier</title>
      <h1 id="profile-title" className="courier-page__title">
        Profile
      </h1>
      {/* Mounted once the saved email is known, so the field starts with it. */}
      {profile.data ? <DetailsForm user={user} email={profile.data.email} /> : <p>Loading your details…</p>}
      <PasswordForm />
      <SessionsList />
      <ApiTokensSection user={user} />
    </section>
  );
}
