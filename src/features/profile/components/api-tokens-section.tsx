import {
  Button,
  Checkbox,
  FormGroup,
  InlineNotification,
  Select,
  SelectItem,
  Stack,
  TableCell,
  TableRow,
  Tag,
  TextInput,
} from '@carbon/react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { TOKEN_EXPIRY_DAYS } from '../../../../contract/api-token-limits';
import type { ApiToken, CreatedApiToken, TokenScope } from '../../../../contract/api-tokens';
import type { User } from '../../../../contract/session';
import { useApiTokens, useCreateApiToken, useRevokeApiToken } from '../api/api-tokens';
import { DataTableFrame } from '../../../components/table/data-table-frame';

const when = (iso: string) => <time dateTime={iso}>{new Date(iso).toLocaleString()}</time>;

/** The new token's secret, shown once with a copy button; gone when dismissed or the page is left. */
function NewToken({ created, onDone }: { created: CreatedApiToken; onDone: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  // Keyboard and screen-reader users land on the secret, which is what they came for.
  useEffect(() => input.current?.select(), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied('yes');
    } catch {
      input.current?.select();
      setCopied('failed');
    }
  };
  return (
    <section className="courier-profile__new-token" aria-labelledby="profile-new-token-title">
      <Stack gap={4}>
        <h3 id="profile-new-token-title">Token “{created.token.name}” created</h3>
        <p>Copy it now: it is shown only this once. Scripts send it as “Authorization: Bearer …”.</p>
        <TextInput ref={input} id="profile-new-token" labelText="Your new token" value={created.secret} readOnly />
        <div className="courier-profile__actions">
          <Button size="md" onClick={() => void copy()}>
            Copy token
          </Button>
          <Button kind="secondary" size="md" onClick={onDone}>
            Done
          </Button>
        </div>
        <p role="status">
          {copied === 'yes' ? 'Token copied.' : copied === 'failed' ? 'Not copied: the token is selected, copy it by hand.' : ''}
        </p>
      </Stack>
    </section>
  );
}

function CreateTokenForm({ user, onCreated }: { user: User; onCreated: (created: CreatedApiToken) => void }) {
  const [name, setName] = useState('');
  const [days, setDays] = useState(30);
  const [extra, setExtra] = useState<Set<Exclude<TokenScope, 'read'>>>(new Set());
  const create = useCreateApiToken();
  const valid = name.trim().length > 0 && name.trim().length <= 100;
  const toggle = (scope: Exclude<TokenScope, 'read'>, on: boolean) =>
    setExtra((current) => {
      const next = new Set(current);
      if (on) next.add(scope);
      else next.delete(scope);
      return next;
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    create.mutate(
      { name: name.trim(), scopes: ['read', ...extra], expiresInDays: days },
      {
        onSuccess: (created) => {
          setName('');
          setExtra(new Set());
          onCreated(created);
        },
      },
    );
  };
  return (
    <form aria-labelledby="profile-create-token-title" onSubmit={submit}>
      <Stack gap={5}>
        <h3 id="profile-create-token-title">New token</h3>
        <TextInput
          id="profile-token-name"
          labelText="Name"
          helperText="What the token is for, e.g. “nightly backup”."
          value={name}
          maxLength={100}
          onChange={(e) => setName(e.target.value)}
        />
        <Select id="profile-token-expiry" labelText="Expires after" value={String(days)} onChange={(e) => setDays(Number(e.target.value))}>
          {TOKEN_EXPIRY_DAYS.map((d) => (
            <SelectItem key={d} value={String(d)} text={d === 365 ? '1 year' : `${d} days`} />
          ))}
        </Select>
        <FormGroup legendText="Scopes">
          <p className="courier-profile__hint">Every token can read what you can see. Add:</p>
          <Checkbox
            id="profile-token-scope-transfer"
            labelText="transfer: upload, download, and change files and folders in your spaces"
            checked={extra.has('transfer')}
            onChange={(_, { checked }) => toggle('transfer', checked)}
          />
          {user.isAdmin ? (
            <Checkbox
              id="profile-token-scope-admin"
              labelText="admin: the administration routes (people, nodes, settings, audit log)"
              checked={extra.has('admin')}
              onChange={(_, { checked }) => toggle('admin', checked)}
            />
          ) : null}
        </FormGroup>
        {create.isError ? (
          <InlineNotification kind="error" role="alert" lowContrast hideCloseButton title="Not created." subtitle={create.error.message} />
        ) : null}
        <div>
          <Button type="submit" size="md" disabled={!valid || create.isPending}>
            {create.isPending ? 'Creating…' : 'Create token'}
          </Button>
        </div>
      </Stack>
    </form>
  );
}

function TokensTable({ tokens }: { tokens: ApiToken[] }) {
  const revoke = useRevokeApiToken();
  const now = Date.now();
  return (
    <>
      {revoke.isError ? (
        <InlineNotification kind="error" role="alert" lowContrast hideCloseButton title="Not revoked." subtitle={revoke.error.message} />
      ) : null}
      <p role="status">{revoke.isSuccess ? `Token “${revoke.variables.name}” revoked.` : ''}</p>
      {tokens.length === 0 ? (
        <p>You have no API tokens.</p>
      ) : (
        <DataTableFrame
          label="Your API tokens"
          headers={['Name', 'Scopes', 'Created', 'Last used', 'Expires', <span className="cds--visually-hidden">Actions</span>]}
        >
          {tokens.map((t) => (
            <TableRow key={t.id}>
              <TableCell className="courier-admin-cell--wrap">{t.name}</TableCell>
              <TableCell>
                {t.scopes.map((s) => (
                  <Tag key={s} type={s === 'admin' ? 'red' : s === 'transfer' ? 'blue' : 'gray'}>
                    {s}
                  </Tag>
                ))}
              </TableCell>
              <TableCell>{when(t.createdAt)}</TableCell>
              <TableCell>{t.lastUsedAt ? when(t.lastUsedAt) : 'Never'}</TableCell>
              <TableCell>
                {when(t.expiresAt)} {Date.parse(t.expiresAt) <= now ? <Tag type="warm-gray">Expired</Tag> : null}
              </TableCell>
              <TableCell>
                <Button kind="danger--ghost" size="sm" disabled={revoke.isPending} onClick={() => revoke.mutate(t)}>
                  Revoke<span className="cds--visually-hidden"> the token {t.name}</span>
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </DataTableFrame>
      )}
    </>
  );
}

/** Personal API tokens (docs/api-tokens.md §1): create one, see it once, list and revoke them. */
export function ApiTokensSection({ user }: { user: User }) {
  const tokens = useApiTokens();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  return (
    <section className="courier-profile__section" aria-labelledby="profile-tokens-title">
      <Stack gap={5}>
        <h2 id="profile-tokens-title">API tokens</h2>
        <p>
          Scripts use a token instead of your password. It acts as you, within its scopes, until it expires or you revoke it. Every route,
          its scope and its answers are in the <Link to="/api-docs">API reference</Link>.
        </p>
        {created ? <NewToken created={created} onDone={() => setCreated(null)} /> : <CreateTokenForm user={user} onCreated={setCreated} />}
        {tokens.isPending ? <p>Loading your tokens…</p> : null}
        {tokens.isError ? (
          <InlineNotification
            kind="error"
            role="alert"
            lowContrast
            hideCloseButton
            title="Your tokens could not be listed."
            subtitle={tokens.error.message}
          />
        ) : null}
        {tokens.data ? <TokensTable tokens={tokens.data} /> : null}
      </Stack>
    </section>
  );
}
