import { Button, InlineNotification, Stack, TableCell, TableRow, Tag, TextInput } from '@carbon/react';
import { useState } from 'react';
import type { MailDestination, MailMessage, MailStatus } from '../../../../contract/notifications';
import { useAdminMail, useRetryMail, useSendTestMail } from '../api/mail';
import { AdminError } from './admin-error';
import { DataTableFrame } from '../../../components/table/data-table-frame';

const STATUS_TAGS: Record<MailStatus, { label: string; type: 'red' | 'blue' | 'green' | 'gray' }> = {
  failed: { label: 'Failed', type: 'red' },
  queued: { label: 'Queued', type: 'blue' },
  sending: { label: 'Sending', type: 'gray' },
  sent: { label: 'Sent', type: 'green' },
};

function Destination({ destination, from }: { destination: MailDestination; from: string }) {
  return (
    <dl className="courier-admin-setting__values">
      <dt>Mail goes to</dt>
      <dd data-testid="mail-destination">
        {destination.kind === 'smtp' ? (
          <>
            SMTP server {destination.host}:{destination.port}
            {destination.username ? ` as ${destination.username}` : ''}
            {destination.secure ? ' (TLS)' : ''}
          </>
        ) : (
          <>
            No SMTP server is configured: each message is written as an .eml file to <code>{destination.folder}</code>. Set{' '}
            <code>COURIER_SMTP_URL</code> to send mail.
          </>
        )}
      </dd>
      <dt>Sender</dt>
      <dd>{from}</dd>
    </dl>
  );
}

function MessageRow({ message }: { message: MailMessage }) {
  const retry = useRetryMail();
  const tag = STATUS_TAGS[message.status];
  return (
    <TableRow>
      <TableCell>
        <time dateTime={message.createdAt}>{new Date(message.createdAt).toLocaleString()}</time>
      </TableCell>
      <TableCell className="courier-admin-cell--wrap">{message.to}</TableCell>
      <TableCell className="courier-admin-cell--wrap">{message.subject}</TableCell>
      <TableCell>
        <Tag type={tag.type}>{tag.label}</Tag>
      </TableCell>
      <TableCell>{message.attempts}</TableCell>
      <TableCell className="courier-admin-cell--wrap">
        {message.lastError ?? ''}
        {message.nextAttemptAt && message.status === 'queued' && message.attempts > 0
          ? ` (next try ${new Date(message.nextAttemptAt).toLocaleTimeString()})`
          : ''}
      </TableCell>
      <TableCell>
        {message.status === 'failed' ? (
          <Button
            kind="tertiary"
            size="sm"
            aria-label={`Retry the message to ${message.to}: ${message.subject}`}
            disabled={retry.isPending}
            onClick={() => retry.mutate(message.id)}
          >
            Retry
          </Button>
        ) : null}
        {retry.isError ? <span role="alert">{retry.error.message}</span> : null}
      </TableCell>
    </TableRow>
  );
}

function TestMailForm() {
  const [email, setEmail] = useState('');
  const send = useSendTestMail();
  return (
    <form
      className="courier-admin-setting"
      aria-labelledby="mail-test-title"
      onSubmit={(event) => {
        event.preventDefault();
        send.mutate(email.trim() || null);
      }}
    >
      <Stack gap={4}>
        <h2 id="mail-test-title" className="courier-admin-setting__title">
          Send a test notification
        </h2>
        <TextInput
          id="mail-test-email"
          type="email"
          labelText="Email address (optional)"
          helperText="Empty: your own address, if your account has one. The notification also appears under the bell."
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        {send.isError ? (
          <InlineNotification kind="error" role="alert" lowContrast hideCloseButton title="Not sent." subtitle={send.error.message} />
        ) : null}
        {send.isSuccess ? (
          <InlineNotification
            kind="success"
            role="status"
            lowContrast
            hideCloseButton
            title="Test notification queued."
            subtitle={send.data.email ? `Mail to ${send.data.email} is on its way.` : 'No email address: it is under the bell only.'}
          />
        ) : null}
        <div className="courier-admin-setting__actions">
          <Button type="submit" size="md" disabled={send.isPending}>
            {send.isPending ? 'Sending…' : 'Send test'}
          </Button>
        </div>
      </Stack>
    </form>
  );
}

/** Where mail goes, the queue by status, the messages waiting or failed (with Retry), and a test message. */
export function MailPage() {
  const mail = useAdminMail();
  const data = mail.data;
  return (
    <section className="courier-page" aria-labelledby="admin-mail-title">
      <title>Mail · Admin · Courier</title>
      <h1 id="admin-mail-title" className="courier-page__title">
        Mail
      </h1>
      {mail.isError ? <AdminError what="the mail queue" error={mail.error} onRetry={() => void mail.refetch()} /> : null}
      {data ? (
        <Stack gap={6}>
          <Destination destination={data.destination} from={data.from} />
          <p role="status" className="courier-admin-count">
            {`${data.counts.sent} sent, ${data.counts.queued + data.counts.sending} waiting, ${data.counts.failed} failed (after ${data.maxAttempts} attempts)`}
          </p>
          {data.messages.length > 0 ? (
            <DataTableFrame
              label="Messages not sent"
              headers={[
                'Queued',
                'To',
                'Subject',
                'Status',
                'Attempts',
                'Last error',
                <span className="cds--visually-hidden">Actions</span>,
              ]}
            >
              {data.messages.map((m) => (
                <MessageRow key={m.id} message={m} />
              ))}
            </DataTableFrame>
          ) : (
            <p>Every message has been sent.</p>
          )}
          <TestMailForm />
        </Stack>
      ) : (
        <p role="status">{mail.isPending ? 'Loading the mail queue…' : ''}</p>
      )}
    </section>
  );
}
