import { Button, InlineLoading, Link, Select, SelectItem } from '@carbon/react';
import { useState } from 'react';
import type { PublicShare, PublicShareItem } from '../../../../contract/shares';
import { DownloadActions } from '../../../components/downloads/download-actions';
import { DownloadProgress } from '../../../components/downloads/download-progress';
import { StandalonePage } from '../../../components/layout/standalone-page';
import { usePathSelection } from '../../../hooks/use-path-selection';
import { ApiError } from '../../../lib/api-client';
import { DESKTOP_DOWNLOAD_PAGE } from '../../../transfer-clients';
import { formatBytes } from '../../../lib/format-bytes';
import { usePublicShare } from '../api/public-share';
import { usePublicDesktop, type PublicDesktop } from '../hooks/use-public-desktop';
import { usePublicDownload, type PublicClientPreference } from '../hooks/use-public-download';
import { describeExpiry } from '../lib/expiry-choice';
import { PublicShareGone } from './public-share-gone';
import { PublicShareItems } from './public-share-items';
import { PublicSharePassword } from './public-share-password';

/** `/s/:linkId`: what a share link gives, for anyone holding it, without an account. */
export function PublicSharePage({ linkId }: { linkId: string }) {
  const share = usePublicShare(linkId);
  let body;
  if (share.isPending) body = <InlineLoading description="Opening the link…" />;
  else if (share.isError) {
    const error = share.error;
    body =
      error instanceof ApiError && error.code === 'SHARE_PASSWORD_REQUIRED' ? (
        <PublicSharePassword linkId={linkId} />
      ) : (
        <PublicShareGone code={error instanceof ApiError ? error.code : 'INTERNAL'} message={error.message} />
      );
  } else body = <ShareContents linkId={linkId} share={share.data} />;
  return (
    <StandalonePage title="Shared with you · Courier" mainClassName="courier-public-share">
      {body}
    </StandalonePage>
  );
}

function summary(share: PublicShare): string {
  const parts: string[] = [];
  if (share.fileCount > 0) parts.push(`${share.fileCount} ${share.fileCount === 1 ? 'file' : 'files'} (${formatBytes(share.fileBytes)})`);
  if (share.folderCount > 0) parts.push(`${share.folderCount} ${share.folderCount === 1 ? 'folder' : 'folders'}`);
  return parts.join(' and ');
}

function ShareContents({ linkId, share }: { linkId: string; share: PublicShare }) {
  const { selected, toggle } = usePathSelection();
  const sdk = usePublicDesktop();
  // An SDK that did not load is the deployment's problem, not the recipient's: the browser carries all.
  const desktop = sdk && sdk.availability.state !== 'unavailable' ? sdk : null;
  const [preference, setPreference] = useState<PublicClientPreference>('auto');
  const download = usePublicDownload(linkId, desktop, preference);
  const one = (item: PublicShareItem) => void download.start([item.path], item.name);
  const all = () =>
    void download.start(
      share.items.map((i) => i.path),
      share.items.length === 1 ? (share.items[0]?.name ?? 'All') : 'All items',
    );
  const some = () => void download.start([...selected], `${selected.size} selected ${selected.size === 1 ? 'item' : 'items'}`);

  return (
    <section aria-labelledby="share-title">
      <h1 id="share-title" className="courier-page__title">
        {`${share.senderName} shared ${summary(share)} with you`}
      </h1>
      {share.note ? (
        <blockquote className="courier-public-share__note" aria-label={`Note from ${share.senderName}`}>
          {share.note}
        </blockquote>
      ) : null}
      <p>{share.expiresAt === null ? 'This link does not expire.' : `This link works until ${describeExpiry(share.expiresAt)}.`}</p>
      {desktop ? <DownloadWith desktop={desktop} preference={preference} onChange={setPreference} /> : null}
      <DownloadActions
        allLabel={share.items.length === 1 && share.items[0]?.type === 'file' ? 'Download' : 'Download all'}
        onAll={all}
        selected={selected.size}
        onSelected={selected.size > 0 ? some : undefined}
        disabled={download.busy}
      />
      <DownloadProgress state={download.state} />
      <PublicShareItems
        linkId={linkId}
        items={share.items}
        selected={selected}
        onToggle={(path) => toggle(path)}
        onDownload={one}
        busy={download.busy}
      />
    </section>
  );
}

const CHOICES: { value: PublicClientPreference; label: string }[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'desktop', label: 'IBM Aspera for Desktop' },
  { value: 'http-gateway', label: 'Browser' },
];

/**
 * "Download with", shown only when the portal names an SDK URL: Desktop's state in words, and the
 * recipient's choice (Automatic: Desktop when it runs and this link's server allows it).
 */
function DownloadWith({
  desktop,
  preference,
  onChange,
}: {
  desktop: PublicDesktop;
  preference: PublicClientPreference;
  onChange: (p: PublicClientPreference) => void;
}) {
  const { availability, client } = desktop;
  const state = availability.available
    ? 'IBM Aspera for Desktop is running.'
    : `${(availability.reason ?? 'IBM Aspera for Desktop is not available.').replace(/\.$/, '')}: downloads go through the browser.`;
  return (
    <div className="courier-public-share__client">
      <Select
        id="public-download-client"
        inline
        size="sm"
        labelText="Download with"
        value={preference}
        onChange={(e) => onChange(e.target.value as PublicClientPreference)}
        helperText={state}
      >
        {CHOICES.map((c) => (
          <SelectItem key={c.value} value={c.value} text={c.label} />
        ))}
      </Select>
      {!availability.available && availability.state !== 'loading' ? (
        <>
          <Button kind="ghost" size="sm" onClick={() => client.desktop.launch()}>
            Launch Desktop
          </Button>
          <Link href={DESKTOP_DOWNLOAD_PAGE} size="sm">
            Install IBM Aspera for Desktop
          </Link>
        </>
      ) : null}
    </div>
  );
}
