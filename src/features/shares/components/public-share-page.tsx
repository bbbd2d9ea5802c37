import { Button, Header, HeaderName, InlineLoading, ProgressBar, Theme } from '@carbon/react';
import { Download } from '@carbon/icons-react';
import { useState } from 'react';
import type { PublicShare, PublicShareItem } from '../../../../contract/shares';
import { ProductName } from '../../../components/layout/product-name';
import { ApiError } from '../../../lib/api-client';
import { formatBytes } from '../../../lib/format-bytes';
import { usePublicShare } from '../api/public-share';
import { usePublicDownload, type PublicDownloadState } from '../hooks/use-public-download';
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
    <div className="courier-standalone">
      <title>Shared with you · Courier</title>
      <Theme theme="g100">
        <Header aria-label="Courier">
          <HeaderName href="/" prefix="">
            <ProductName />
          </HeaderName>
        </Header>
      </Theme>
      <main className="courier-standalone__main courier-public-share">{body}</main>
    </div>
  );
}

function summary(share: PublicShare): string {
  const parts: string[] = [];
  if (share.fileCount > 0) parts.push(`${share.fileCount} ${share.fileCount === 1 ? 'file' : 'files'} (${formatBytes(share.fileBytes)})`);
  if (share.folderCount > 0) parts.push(`${share.folderCount} ${share.folderCount === 1 ? 'folder' : 'folders'}`);
  return parts.join(' and ');
}

function ShareContents({ linkId, share }: { linkId: string; share: PublicShare }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const download = usePublicDownload(linkId);
  const toggle = (path: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(path)) next.add(path);
      return next;
    });
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
      <div className="courier-public-share__actions">
        <Button renderIcon={Download} disabled={download.busy} onClick={all}>
          {share.items.length === 1 && share.items[0]?.type === 'file' ? 'Download' : 'Download all'}
        </Button>
        {selected.size > 0 ? (
          <Button kind="tertiary" disabled={download.busy} onClick={some}>
            {`Download selected (${selected.size})`}
          </Button>
        ) : null}
      </div>
      <DownloadProgress state={download.state} />
      <PublicShareItems linkId={linkId} items={share.items} selected={selected} onToggle={toggle} onDownload={one} busy={download.busy} />
    </section>
  );
}

/** Progress in a bar and in words a screen reader announces (at each tenth, not at every chunk). */
function DownloadProgress({ state }: { state: PublicDownloadState | null }) {
  if (!state) return <p role="status" className="courier-visually-hidden" />;
  const percent = state.bytesTotal ? Math.floor((state.bytesDone / state.bytesTotal) * 100) : null;
  const words =
    state.status === 'completed'
      ? `${state.title}: downloaded.`
      : state.status === 'failed'
        ? `${state.title}: the download failed. ${state.error ?? ''}`
        : state.status === 'cancelled'
          ? `${state.title}: the download was stopped.`
          : `${state.title}: downloading${percent === null ? '' : `, ${Math.floor(percent / 10) * 10} %`}.`;
  return (
    <div className="courier-public-share__progress">
      {state.status === 'running' || state.status === 'starting' || state.status === 'authorizing' ? (
        <ProgressBar
          label={`Downloading ${state.title}`}
          value={percent ?? undefined}
          max={100}
          helperText={percent === null ? '' : `${percent} %`}
        />
      ) : null}
      <p role="status" data-testid="download-status">
        {words}
      </p>
    </div>
  );
}
