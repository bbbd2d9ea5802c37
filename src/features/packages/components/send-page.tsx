import { Button, Checkbox, InlineNotification, Tag, TextArea, TextInput } from '@carbon/react';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { CreateTransferResponse } from '../../../../contract/transfers';
import { DropZone, type ReadUpload } from '../../../components/upload/drop-zone';
import { errorMessage } from '../../../lib/error-message';
import { formatBytes } from '../../../lib/format-bytes';
import { packagesKey } from '../../../lib/query-keys';
import { MAX_UPLOAD_FILES } from '../../../lib/upload/check-upload';
import type { CollectedUpload } from '../../../lib/upload/collected-upload';
import type { UploadSource } from '../../../transfer-clients';
import { sendPackage, sendPackageFromSpace, useDirectory } from '../api/packages-api';

interface Chosen {
  kind: 'user' | 'group';
  id: string;
  name: string;
}

export interface SendPageProps {
  /** Hands the files and the package's own authorization to the transfer runner (the tray shows progress). */
  onSend: (sources: UploadSource[], authorize: () => Promise<CreateTransferResponse>) => Promise<void>;
}

const DAY_MS = 86_400_000;

/** `/send`: recipients, subject, message, files and folders (structure kept), expiry and options. */
export function SendPage({ onSend }: SendPageProps) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // "Send" on a Files selection: `?space=<id>&path=/a&path=/b`, files the node copies (docs/packages.md §8).
  const [params] = useSearchParams();
  const storedSpace = params.get('space');
  const storedPaths = params.getAll('path');
  const stored = storedSpace && storedPaths.length > 0 ? { spaceId: storedSpace, paths: storedPaths } : null;
  const [search, setSearch] = useState('');
  const directory = useDirectory(search);
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [emails, setEmails] = useState('');
  const [subject, setSubject] = useState('');
  const [message, setMessage] = useState('');
  const [days, setDays] = useState('14');
  const [notifyOnDownload, setNotifyOnDownload] = useState(false);
  const [privateRecipients, setPrivateRecipients] = useState(false);
  const [requireCode, setRequireCode] = useState(false);
  const [collected, setCollected] = useState<CollectedUpload | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [sent, setSent] = useState<{ id: string; subject: string } | null>(null);
  const [sending, setSending] = useState(false);

  const take = async (read: ReadUpload) => {
    try {
      const upload = await read();
      if (upload.unreadable.length > 0) setProblem(`Some files cannot be read: ${upload.unreadable.slice(0, 5).join(', ')}`);
      else if (upload.truncated) setProblem(`A package holds at most ${MAX_UPLOAD_FILES} files.`);
      else setProblem(null);
      setCollected(upload);
    } catch {
      setProblem('The browser did not let Courier read what you dropped. Try "Choose files" or "Choose folder" instead.');
    }
  };

  const add = (item: Chosen) => {
    setChosen((list) => (list.some((c) => c.kind === item.kind && c.id === item.id) ? list : [...list, item]));
    setSearch('');
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!stored && (!collected || collected.sources.length === 0)) return setProblem('Choose at least one file or folder.');
    const emailList = emails
      .split(/[\s,;]+/)
      .map((e) => e.trim())
      .filter(Boolean);
    if (chosen.length === 0 && emailList.length === 0) return setProblem('Name at least one recipient.');
    if (!subject.trim()) return setProblem('Give the package a subject.');
    setProblem(null);
    setSending(true);
    const common = {
      recipients: {
        userIds: chosen.filter((c) => c.kind === 'user').map((c) => c.id),
        groupIds: chosen.filter((c) => c.kind === 'group').map((c) => c.id),
        emails: emailList,
      },
      subject: subject.trim(),
      message,
      expiresAt: new Date(Date.now() + Math.max(1, Number(days) || 14) * DAY_MS).toISOString(),
      notifyOnDownload,
      privateRecipients,
      requireCode,
    };
    let created: { id: string; subject: string } | null = null;
    try {
      if (stored) {
        const response = await sendPackageFromSpace({ ...common, from: stored });
        created = { id: response.package.id, subject: response.package.subject };
        void navigate('/send', { replace: true });
      } else if (collected) {
        const sources = collected.sources;
        await onSend(sources, async () => {
          const response = await sendPackage({ ...common, files: sources.map((s) => ({ path: s.path, size: s.file.size })) });
          created = { id: response.package.id, subject: response.package.subject };
          return response;
        });
      }
      if (created) {
        setSent(created);
        setCollected(null);
        setSubject('');
        setMessage('');
        setChosen([]);
        setEmails('');
      }
      void queryClient.invalidateQueries({ queryKey: packagesKey });
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setSending(false);
    }
  };

  const bytes = collected?.sources.reduce((sum, s) => sum + s.file.size, 0) ?? 0;
  const found = directory.data;

  return (
    <section className="courier-page" aria-labelledby="send-title">
      <title>Send · Courier</title>
      <h1 id="send-title" className="courier-page__title">
        Send a package
      </h1>
      <div role="status" aria-live="polite">
        {sent ? (
          <p>
            Sending “{sent.subject}”: follow its progress in the transfers tray. Recipients see it once the upload has completed.{' '}
            <Link to={`/packages/${sent.id}`}>Open the package</Link>
          </p>
        ) : null}
      </div>
      <form onSubmit={(e) => void submit(e)} className="courier-form" noValidate>
        <fieldset>
          <legend>Recipients</legend>
          <ul aria-label="Chosen recipients" className="courier-chosen">
            {chosen.map((c) => (
              <li key={`${c.kind}:${c.id}`}>
                <Tag type={c.kind === 'group' ? 'purple' : 'blue'}>{c.kind === 'group' ? `Group ${c.name}` : c.name}</Tag>
                <Button kind="ghost" size="sm" onClick={() => setChosen((list) => list.filter((x) => x !== c))}>
                  Remove {c.name}
                </Button>
              </li>
            ))}
          </ul>
          <TextInput
            id="send-recipient-search"
            labelText="Find people or groups"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            autoComplete="off"
          />
          {search.trim() && found ? (
            <ul aria-label="Matching people and groups">
              {found.users.map((u) => (
                <li key={u.id}>
                  <Button kind="ghost" size="sm" onClick={() => add({ kind: 'user', id: u.id, name: u.name })}>
                    Add {u.name} ({u.username})
                  </Button>
                </li>
              ))}
              {found.groups.map((g) => (
                <li key={g.id}>
                  <Button kind="ghost" size="sm" onClick={() => add({ kind: 'group', id: g.id, name: g.name })}>
                    Add group {g.name}
                  </Button>
                </li>
              ))}
              {found.users.length + found.groups.length === 0 ? <li>No one matches.</li> : null}
            </ul>
          ) : null}
          <TextInput
            id="send-emails"
            labelText="Email addresses without an account (if your admin allows them)"
            helperText="Separate addresses with commas"
            value={emails}
            onChange={(e) => setEmails(e.target.value)}
          />
        </fieldset>
        <TextInput id="send-subject" labelText="Subject" value={subject} onChange={(e) => setSubject(e.target.value)} maxLength={200} />
        <TextArea id="send-message" labelText="Message" value={message} onChange={(e) => setMessage(e.target.value)} maxCount={10000} />
        {stored ? (
          <div className="courier-drop-zone" data-testid="send-stored">
            <p>
              {`From your files, copied on the server without uploading again: ${stored.paths.map((p) => p.split('/').pop()).join(', ')}`}
            </p>
            <Button kind="tertiary" size="md" onClick={() => void navigate('/send', { replace: true })}>
              Choose other files instead
            </Button>
          </div>
        ) : null}
        <DropZone name="send" hidden={stored !== null} onUpload={(read) => void take(read)}>
          {collected && collected.sources.length > 0 ? (
            <p data-testid="send-chosen">
              {collected.sources.length} file(s), {formatBytes(bytes)}
            </p>
          ) : null}
        </DropZone>
        <TextInput
          id="send-days"
          type="number"
          min={1}
          max={365}
          labelText="Expires after (days)"
          value={days}
          onChange={(e) => setDays(e.target.value)}
        />
        <Checkbox
          id="send-notify"
          labelText="Notify me when a recipient downloads"
          checked={notifyOnDownload}
          onChange={(_, { checked }) => setNotifyOnDownload(checked)}
        />
        <Checkbox
          id="send-private"
          labelText="Private recipients (they do not see each other)"
          checked={privateRecipients}
          onChange={(_, { checked }) => setPrivateRecipients(checked)}
        />
        <Checkbox
          id="send-require-code"
          labelText="Addresses without an account confirm a code sent by email before downloading"
          checked={requireCode}
          onChange={(_, { checked }) => setRequireCode(checked)}
        />
        {problem ? <InlineNotification kind="error" role="alert" lowContrast hideCloseButton title="Not sent" subtitle={problem} /> : null}
        <Button type="submit" disabled={sending}>
          {sending ? 'Sending…' : 'Send'}
        </Button>
      </form>
    </section>
  );
}
