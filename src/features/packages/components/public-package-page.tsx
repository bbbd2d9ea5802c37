import { Button, InlineLoading, InlineNotification, Stack, TextInput } from '@carbon/react';
import { useState, type FormEvent } from 'react';
import type { PublicPackage } from '../../../../contract/packages';
import { DownloadActions } from '../../../components/downloads/download-actions';
import { DownloadProgress } from '../../../components/downloads/download-progress';
import { FileTable } from '../../../components/downloads/file-table';
import { StandalonePage } from '../../../components/layout/standalone-page';
import { formatBytes } from '../../../lib/format-bytes';
import { usePublicPackage, useSendPackageCode, useUnlockPackage } from '../api/public-package';
import { usePublicPackageDownload } from '../hooks/use-public-package-download';

/** `/p/:link`: a package sent to an address without an account, through that recipient's personal link. */
export function PublicPackagePage({ link }: { link: string }) {
  const pkg = usePublicPackage(link);
  let body;
  if (pkg.isPending) body = <InlineLoading description="Opening the package…" />;
  else if (pkg.isError)
    body = (
      <>
        <h1 className="courier-page__title">This link does not work</h1>
        <p>The package was recalled by its sender, or the link is not complete. Ask the sender to send it again.</p>
      </>
    );
  else body = <PackageContents link={link} pkg={pkg.data} />;
  return (
    <StandalonePage title="A package for you · Courier" mainClassName="courier-public-share">
      {body}
    </StandalonePage>
  );
}

function PackageContents({ link, pkg }: { link: string; pkg: PublicPackage }) {
  const download = usePublicPackageDownload(link);
  return (
    <section aria-labelledby="package-title">
      <h1 id="package-title" className="courier-page__title">
        {`${pkg.senderName} sent you “${pkg.subject}”`}
      </h1>
      <p>
        {`${pkg.fileCount} ${pkg.fileCount === 1 ? 'file' : 'files'} (${formatBytes(pkg.bytes)}), for ${pkg.recipient}. `}
        {pkg.status === 'expired'
          ? 'This package has expired: its files are gone.'
          : `Available until ${new Date(pkg.expiresAt).toLocaleString()}.`}
      </p>
      {pkg.message ? (
        <blockquote className="courier-public-share__note" aria-label={`Message from ${pkg.senderName}`}>
          {pkg.message}
        </blockquote>
      ) : null}
      {pkg.status === 'expired' ? null : !pkg.unlocked ? (
        <CodeForm link={link} />
      ) : (
        <>
          <DownloadActions disabled={download.busy} onAll={() => void download.start([], pkg.subject)} />
          <DownloadProgress state={download.state} />
          <FileTable
            files={pkg.files}
            disabled={download.busy}
            onDownload={(path) => void download.start([path], path.split('/').pop() ?? path)}
          />
        </>
      )}
    </section>
  );
}

/** The one-time code: sent to the recipient's address on request, typed here, sent in a body only. */
function CodeForm({ link }: { link: string }) {
  const send = useSendPackageCode(link);
  const unlock = useUnlockPackage(link);
  const [code, setCode] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (code.trim() !== '' && !unlock.isPending) unlock.mutate(code.trim());
  };
  return (
    <form onSubmit={submit} aria-labelledby="package-code-title" className="courier-public-share__password">
      <Stack gap={5}>
        <h2 id="package-code-title">A code is needed to download</h2>
        <p>The sender asked that you confirm your email address: we send a one-time code there.</p>
        <div>
          <Button kind="secondary" disabled={send.isPending} onClick={() => send.mutate()}>
            {send.isSuccess ? 'Send a new code' : 'Email me a code'}
          </Button>
        </div>
        <p role="status">
          {send.isSuccess
            ? `We sent a code to ${send.data.sentTo}. It works for ${Math.round(send.data.expiresInSeconds / 60)} minutes.`
            : ''}
        </p>
        <TextInput
          id="courier-package-code"
          labelText="Code"
          value={code}
          inputMode="numeric"
          autoComplete="one-time-code"
          onChange={(e) => setCode(e.target.value)}
        />
        {send.error || unlock.error ? (
          <InlineNotification
            kind="error"
            role="alert"
            lowContrast
            hideCloseButton
            title={unlock.error ? 'Not opened' : 'No code sent'}
            subtitle={(unlock.error ?? send.error)?.message}
          />
        ) : null}
        <div>
          <Button type="submit" disabled={code.trim() === '' || unlock.isPending}>
            {unlock.isPending ? 'Checking…' : 'Open'}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
