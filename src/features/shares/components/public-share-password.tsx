import { Button, InlineNotification, PasswordInput, Stack } from '@carbon/react';
import { useState, type FormEvent } from 'react';
import { useUnlockShare } from '../api/public-share';

/** The password of a protected link, sent in a request body, never in the address. */
export function PublicSharePassword({ linkId }: { linkId: string }) {
  const unlock = useUnlockShare(linkId);
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== '' && !unlock.isPending) unlock.mutate(password);
  };
  return (
    <form onSubmit={submit} aria-labelledby="share-password-title" className="courier-public-share__password">
      <Stack gap={5}>
        <h1 id="share-password-title" className="courier-page__title">
          This link is protected
        </h1>
        <p>Type the password the sender gave you.</p>
        <PasswordInput
          id="courier-share-unlock"
          labelText="Password"
          value={password}
          autoComplete="off"
          onChange={(e) => setPassword(e.target.value)}
        />
        {unlock.error ? (
          <InlineNotification kind="error" role="alert" lowContrast hideCloseButton title="Not opened" subtitle={unlock.error.message} />
        ) : null}
        <div>
          <Button type="submit" disabled={password === '' || unlock.isPending}>
            {unlock.isPending ? 'Checking…' : 'Open'}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
