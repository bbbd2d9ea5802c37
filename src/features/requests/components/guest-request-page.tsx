import { Button, Form, HeaderName, InlineLoading, InlineNotification, PasswordInput, ProgressBar, Stack, TextInput } from '@carbon/react';
import { Upload } from '@carbon/icons-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { PublicRequest, SubmitResponse } from '../../../../contract/requests';
import { ProductName } from '../../../components/layout/product-name';
import { StandalonePage } from '../../../components/layout/standalone-page';
import { DropZone, type ReadUpload } from '../../../components/upload/drop-zone';
import { ApiError } from '../../../lib/api-client';
import { errorMessage } from '../../../lib/error-message';
import { formatBytes } from '../../../lib/format-bytes';
import { checkUpload, describeUpload } from '../../../lib/upload/check-upload';
import type { CollectedUpload } from '../../../lib/upload/collected-upload';
import { createHttpGatewayClient, type TransferClientEvent } from '../../../transfer-clients';
import { submitToRequest, usePublicRequest, useUnlockRequest } from '../api/requests';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'short' });

/**
 * The page a guest opens from a file request link (`/r/:id`): the request alone (title, message,
 * deadline, limits), a drop zone with buttons for files and folders, live progress, and a
 * thank-you listing what was received. Outside the login: it never asks who the guest is beyond
 * what the request wants (name and email).
 */
export function GuestRequestPage({ requestId }: { requestId: string }) {
  const request = usePublicRequest(requestId);
  return (
    <StandalonePage
      title={request.data ? `${request.data.title} · Courier` : 'File request · Courier'}
      mainClassName="courier-guest"
      mainId="main-content"
      brand={
        <HeaderName href="#" prefix="" onClick={(e) => e.preventDefault()}>
          <ProductName />
        </HeaderName>
      }
    >
      <div className="courier-guest__panel">
        {request.isPending ? (
          <InlineLoading description="Loading the request…" />
        ) : request.isError ? (
          <Unavailable error={request.error} />
        ) : (
          <RequestBody request={request.data} />
        )}
      </div>
    </StandalonePage>
  );
}

function Unavailable({ error }: { error: unknown }) {
  const code = error instanceof ApiError ? error.code : null;
  const [heading, detail] =
    code === 'REQUEST_CLOSED'
      ? [
          'This file request is closed',
          'The person who asked for these files closed it. Ask them for a new link if you still need to send something.',
        ]
      : code === 'REQUEST_EXPIRED'
        ? [
            'This file request has expired',
            'Its deadline has passed, so it takes no more files. Ask the person who sent it for a new link.',
          ]
        : code === 'NOT_FOUND'
          ? ['There is no file request here', 'Check that the link is complete; it may have been copied only in part.']
          : ['The request could not be loaded', errorMessage(error)];
  return (
    <section aria-labelledby="guest-heading" data-testid="request-unavailable" data-code={code ?? ''}>
      <h1 id="guest-heading" className="courier-page__title">
        {heading}
      </h1>
      <p>{detail}</p>
    </section>
  );
}

function RequestBody({ request }: { request: PublicRequest }) {
  return (
    <section aria-labelledby="guest-heading">
      <h1 id="guest-heading" className="courier-page__title">
        {request.title}
      </h1>
      <p className="courier-guest__from">Requested by {request.requester}</p>
      <p className="courier-guest__deadline">
        Open until <strong>{when(request.deadline)}</strong>
      </p>
      {request.passwordRequired && !request.unlocked ? (
        <PasswordForm requestId={request.id} />
      ) : (
        <>
          {request.message ? <p className="courier-guest__message">{request.message}</p> : null}
          {request.maxFiles !== null || request.maxBytes !== null ? (
            <p className="courier-guest__limits">
              Accepts{' '}
              {[
                request.maxFiles !== null ? `up to ${request.maxFiles.toLocaleString()} files` : null,
                request.maxBytes !== null ? `up to ${formatBytes(request.maxBytes)} in all` : null,
              ]
                .filter(Boolean)
                .join(', ')}
              .
            </p>
          ) : null}
          <UploadForm request={request} />
        </>
      )}
    </section>
  );
}

function PasswordForm({ requestId }: { requestId: string }) {
  const unlock = useUnlockRequest(requestId);
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    unlock.mutate(password);
  };
  return (
    <Form onSubmit={submit} aria-labelledby="password-heading">
      <Stack gap={5}>
        <h2 id="password-heading" className="courier-guest__subtitle">
          This request is protected by a password
        </h2>
        <PasswordInput
          id="request-password"
          labelText="Password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="off"
        />
        {unlock.isError ? (
          <InlineNotification
            kind="error"
            role="alert"
            lowContrast
            hideCloseButton
            title="Not unlocked"
            subtitle={errorMessage(unlock.error)}
          />
        ) : null}
        <Button type="submit" disabled={password === '' || unlock.isPending}>
          Continue
        </Button>
      </Stack>
    </Form>
  );
}

type Phase =
  | { step: 'choosing' }
  | { step: 'sending'; bytesDone: number; bytesTotal: number }
  | { step: 'done'; received: SubmitResponse['submission']; names: string[] }
  | { step: 'failed'; message: string };

/** Ten steps said to a screen reader, not every progress event. */
const announceStep = (done: number, total: number) => (total === 0 ? 100 : Math.floor((done / total) * 10) * 10);

function UploadForm({ request }: { request: PublicRequest }) {
  const [collected, setCollected] = useState<CollectedUpload | null>(null);
  const [refusal, setRefusal] = useState<{ title: string; detail: string } | null>(null);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phase, setPhase] = useState<Phase>({ step: 'choosing' });
  const [announcement, setAnnouncement] = useState('');
  const stopRef = useRef<(() => void) | null>(null);
  useEffect(() => () => stopRef.current?.(), []);

  const take = async (read: ReadUpload) => {
    try {
      const upload = await read();
      const check = checkUpload(upload);
      if (!check.ok) {
        setRefusal({ title: check.title, detail: check.detail });
        setCollected(null);
        return;
      }
      setRefusal(null);
      setCollected(upload);
    } catch {
      setRefusal({
        title: 'The drop could not be read',
        detail: 'The browser did not let Courier read what you dropped. Try "Choose files" or "Choose folder" instead.',
      });
    }
  };

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!collected) return;
    const sources = collected.sources;
    const bytesTotal = sources.reduce((n, s) => n + s.file.size, 0);
    setPhase({ step: 'sending', bytesDone: 0, bytesTotal });
    setAnnouncement('Sending started.');
    let answer: SubmitResponse;
    try {
      answer = await submitToRequest(request.id, {
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(email.trim() ? { email: email.trim() } : {}),
        files: sources.map((s) => ({ path: s.path, size: s.file.size })),
        ...(collected.emptyFolders.length > 0 ? { emptyFolders: collected.emptyFolders } : {}),
      });
    } catch (error) {
      setPhase({ step: 'failed', message: errorMessage(error) });
      setAnnouncement(`Not sent: ${errorMessage(error)}`);
      return;
    }
    const client = createHttpGatewayClient();
    const transferId = answer.submission.id;
    let said = 0;
    const names = [...new Set([...sources.map((s) => s.path), ...collected.emptyFolders].map((p) => p.split('/')[0] as string))];
    const unsubscribe = client.subscribe((e: TransferClientEvent) => {
      if (e.transferId !== transferId) return;
      if (e.status === 'completed') {
        unsubscribe();
        stopRef.current = null;
        setPhase({ step: 'done', received: answer.submission, names });
        setAnnouncement(`All sent: ${describeUpload(answer.submission.fileCount, answer.submission.bytes)}.`);
        return;
      }
      if (e.status === 'failed' || e.status === 'cancelled') {
        unsubscribe();
        stopRef.current = null;
        const message = e.error?.message ?? 'The upload stopped.';
        setPhase({ step: 'failed', message });
        setAnnouncement(`Not sent: ${message}`);
        return;
      }
      setPhase({ step: 'sending', bytesDone: e.bytesDone, bytesTotal });
      const step = announceStep(e.bytesDone, bytesTotal);
      if (step > said && step < 100) {
        said = step;
        setAnnouncement(`${step} % sent`);
      }
    });
    stopRef.current = () => void client.stop(transferId);
    await client
      .start({ transferId, direction: 'upload', transferSpec: answer.transferSpec, gatewayUrl: answer.gatewayUrl, sources })
      .catch((error: unknown) => {
        unsubscribe();
        setPhase({ step: 'failed', message: errorMessage(error) });
      });
  };

  if (phase.step === 'done') {
    return (
      <section aria-labelledby="thanks-heading" className="courier-guest__thanks">
        <p role="status" className="cds--visually-hidden">
          {announcement}
        </p>
        <h2 id="thanks-heading" className="courier-guest__subtitle" tabIndex={-1} ref={(el) => el?.focus()}>
          Thank you — your files were received
        </h2>
        <p>
          {request.requester} received {describeUpload(phase.received.fileCount, phase.received.bytes)}:
        </p>
        <ul className="courier-guest__received" aria-label="Received">
          {phase.names.slice(0, 50).map((n) => (
            <li key={n}>{n}</li>
          ))}
          {phase.names.length > 50 ? <li>and {phase.names.length - 50} more</li> : null}
        </ul>
      </section>
    );
  }

  const sending = phase.step === 'sending';
  const identityLabel = request.requireIdentity ? '' : ' (optional)';
  return (
    <Form onSubmit={(e) => void send(e)} aria-labelledby="send-heading">
      <Stack gap={6}>
        <h2 id="send-heading" className="courier-guest__subtitle">
          Send your files
        </h2>
        <TextInput
          id="guest-name"
          labelText={`Your name${identityLabel}`}
          value={name}
          required={request.requireIdentity}
          maxLength={100}
          autoComplete="name"
          disabled={sending}
          onChange={(e) => setName(e.target.value)}
        />
        <TextInput
          id="guest-email"
          type="email"
          labelText={`Your email${identityLabel}`}
          value={email}
          required={request.requireIdentity}
          autoComplete="email"
          disabled={sending}
          onChange={(e) => setEmail(e.target.value)}
        />
        <DropZone name="request" disabled={sending} onUpload={(read) => void take(read)} />
        {refusal ? (
          <InlineNotification
            kind="error"
            role="alert"
            lowContrast
            title={refusal.title}
            subtitle={refusal.detail}
            onClose={() => setRefusal(null)}
          />
        ) : null}
        {collected ? (
          <div className="courier-guest__chosen">
            <p role="status">
              Chosen:{' '}
              {describeUpload(
                collected.sources.length,
                collected.sources.reduce((n, s) => n + s.file.size, 0),
              )}
              {collected.emptyFolders.length > 0
                ? `, and ${collected.emptyFolders.length} empty ${collected.emptyFolders.length === 1 ? 'folder' : 'folders'}`
                : ''}
            </p>
            <ul aria-label="Chosen files">
              {collected.sources.slice(0, 20).map((s) => (
                <li key={s.path}>{s.path}</li>
              ))}
              {collected.sources.length > 20 ? <li>and {collected.sources.length - 20} more</li> : null}
            </ul>
          </div>
        ) : null}
        {sending ? (
          <ProgressBar
            label="Sending"
            value={phase.bytesDone}
            max={Math.max(1, phase.bytesTotal)}
            helperText={`${formatBytes(phase.bytesDone)} of ${formatBytes(phase.bytesTotal)}`}
          />
        ) : null}
        <p role="status" className="cds--visually-hidden" data-testid="request-announcer">
          {announcement}
        </p>
        {phase.step === 'failed' ? (
          <InlineNotification
            kind="error"
            role="alert"
            lowContrast
            hideCloseButton
            title="Your files were not sent"
            subtitle={phase.message}
          />
        ) : null}
        <Button type="submit" renderIcon={Upload} disabled={!collected || sending}>
          {sending ? 'Sending…' : 'Send'}
        </Button>
      </Stack>
    </Form>
  );
}
