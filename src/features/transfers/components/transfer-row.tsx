import { Button, ProgressBar, Tag } from '@carbon/react';
import { Copy, Download, FolderMoveTo, Upload } from '@carbon/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState, type ChangeEvent } from 'react';
import { Link } from 'react-router';
import type { TransferRecord } from '../../../../contract/transfers';
import { folderUrl } from '../../../lib/folder-url';
import { formatBytes } from '../../../lib/format-bytes';
import { spacesQueryOptions } from '../../../lib/spaces-query';
import type { TransferClientStatus } from '../../../transfer-clients';
import { useTransferRunner } from '../engine/transfer-engine-provider';
import type { RetryKind } from '../engine/retry';
import { displayStatus, isEnded } from '../lib/display-status';
import { formatDuration } from '../lib/format-duration';
import { describeTransfer, transferTimes } from '../lib/transfer-facts';
import { useLiveProgress } from '../stores/transfers-store';
import { TransferFiles } from './transfer-files';

const STATUS: Record<TransferClientStatus, { label: string; tag: 'gray' | 'blue' | 'green' | 'red' | 'warm-gray' }> = {
  queued: { label: 'Queued', tag: 'gray' },
  starting: { label: 'Starting', tag: 'blue' },
  running: { label: 'Running', tag: 'blue' },
  paused: { label: 'Paused', tag: 'warm-gray' },
  failed: { label: 'Failed', tag: 'red' },
  completed: { label: 'Completed', tag: 'green' },
  cancelled: { label: 'Cancelled', tag: 'warm-gray' },
};

/** What Retry will do, said before it is pressed. */
const RETRY_NOTE: Record<RetryKind, string> = {
  resume: 'Retry continues where it stopped.',
  restart: 'Retry starts again from the beginning.',
  'choose-files': 'This page no longer has the files: Retry asks you to choose them again, and starts again from the beginning.',
  'resume-files': 'This page no longer has the files: Resume asks you to choose the same files again, and continues where it stopped.',
};

/**
 * One transfer, on the Transfers page and in the tray alike: subscribes to its own live progress
 * only, so 500 running rows stay cheap.
 */
export function TransferRow({ record }: { record: TransferRecord }) {
  const live = useLiveProgress(record.id);
  const runner = useTransferRunner();
  const spaceName = useQuery({ ...spacesQueryOptions(), select: (spaces) => spaces.find((s) => s.id === record.spaceId)?.name }).data;
  const [showFiles, setShowFiles] = useState(false);
  const status = displayStatus(record, live?.status);
  const bytesTotal = live?.bytesTotal ?? record.bytesExpected;
  const bytesDone = status === 'completed' && bytesTotal !== null ? bytesTotal : Math.max(live?.bytesDone ?? 0, record.bytesTransferred);
  const percent = bytesTotal ? Math.min(100, Math.floor((bytesDone / bytesTotal) * 100)) : status === 'completed' ? 100 : null;
  const active = !isEnded(status);
  const error = live?.error?.message ?? record.error;
  const files = live?.files;
  const Icon =
    record.operation === 'move' ? FolderMoveTo : record.operation === 'copy' ? Copy : record.direction === 'upload' ? Upload : Download;
  const titleId = `transfer-${record.id}-title`;
  const filesId = `transfer-${record.id}-files`;
  const verb =
    record.operation === 'move' ? 'Move' : record.operation === 'copy' ? 'Copy' : record.direction === 'upload' ? 'Upload' : 'Download';

  const details = [
    `${record.fileCount.toLocaleString('en')} ${record.fileCount === 1 ? (record.direction === 'upload' ? 'file' : 'item') : record.direction === 'upload' ? 'files' : 'items'}`,
    bytesTotal !== null ? `${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)}` : formatBytes(bytesDone),
    active && live?.rate ? `${formatBytes(live.rate)}/s` : null,
    active && live?.eta != null ? `${formatDuration(live.eta)} left` : null,
    live?.handedToBrowser && active ? "In your browser's downloads" : null,
  ].filter(Boolean);
  const times = transferTimes(record, bytesDone);
  const ended = status === 'failed' || status === 'cancelled';
  // A Copy or Move runs node to node: nothing in this page can carry it again; the person starts a new one.
  const retry = ended && !record.operation ? runner.retryKind(record) : null;
  const pausable = runner.canPause(record);

  return (
    <li className="courier-transfer" aria-labelledby={titleId}>
      <div className="courier-transfer__head">
        <Icon aria-hidden="true" className="courier-transfer__icon" />
        <span className="cds--visually-hidden">{verb}:</span>
        <span id={titleId} className="courier-transfer__title">
          {record.title}
        </span>
        <Tag size="sm" type={STATUS[status].tag} className="courier-transfer__status">
          {STATUS[status].label}
        </Tag>
      </div>
      <p className="courier-transfer__what">{describeTransfer(record, spaceName)}</p>
      <ProgressBar
        label={`${verb} progress of ${record.title}`}
        hideLabel
        value={percent ?? undefined}
        max={100}
        status={status === 'failed' ? 'error' : status === 'completed' ? 'finished' : 'active'}
        size="small"
        helperText={`${percent !== null ? `${percent}% · ` : ''}${details.join(' · ')}`}
      />
      {times.length ? <p className="courier-transfer__times">{times.join(' · ')}</p> : null}
      {status === 'failed' && error ? <p className="courier-transfer__error">{error}</p> : null}
      {retry ? <p className="courier-transfer__note">{RETRY_NOTE[retry]}</p> : null}
      <div className="courier-transfer__actions">
        {files?.length ? (
          <Button size="sm" kind="ghost" aria-expanded={showFiles} aria-controls={filesId} onClick={() => setShowFiles((v) => !v)}>
            {showFiles ? 'Hide files' : `Show files (${files.length.toLocaleString('en')})`}
          </Button>
        ) : null}
        {pausable && (status === 'running' || status === 'queued' || status === 'starting') ? (
          <Button size="sm" kind="ghost" aria-label={`Pause ${record.title}`} onClick={() => void runner.pause(record)}>
            Pause
          </Button>
        ) : null}
        {pausable && status === 'paused' ? (
          <Button size="sm" kind="ghost" aria-label={`Resume ${record.title}`} onClick={() => void runner.resume(record)}>
            Resume
          </Button>
        ) : null}
        {active ? (
          <Button size="sm" kind="ghost" onClick={() => void runner.cancel(record)}>
            Cancel
          </Button>
        ) : null}
        {retry === 'choose-files' || retry === 'resume-files' ? (
          <RetryWithFiles record={record} action={retry === 'resume-files' ? 'Resume' : 'Retry'} />
        ) : retry ? (
          <Button size="sm" kind="ghost" aria-label={`Retry ${record.title}`} onClick={() => void runner.retry(record)}>
            Retry
          </Button>
        ) : null}
        {record.direction === 'upload' && record.spaceId !== null ? (
          <Button as={Link} size="sm" kind="ghost" to={folderUrl(record.spaceId, record.folder)}>
            Open folder
          </Button>
        ) : null}
        {!active ? (
          <Button size="sm" kind="ghost" onClick={() => runner.remove(record)}>
            Remove
          </Button>
        ) : null}
      </div>
      {files?.length && showFiles ? <TransferFiles id={filesId} title={record.title} files={files} /> : null}
    </li>
  );
}

/**
 * Retry of an upload whose files this page no longer holds (it was reloaded): the browser's dialog
 * asks for them again (a folder's when the upload was a folder's), then they go to the same folder,
 * or, when the node still holds its upload session, continue it (Resume).
 */
function RetryWithFiles({ record, action }: { record: TransferRecord; action: 'Retry' | 'Resume' }) {
  const runner = useTransferRunner();
  const input = useRef<HTMLInputElement>(null);
  // A dropped folder is one top-level item holding several files.
  const folder = record.fileCount > record.paths.length;
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const picked = [...(event.target.files ?? [])];
    event.target.value = '';
    if (!picked.length) return;
    void runner.retry(
      record,
      picked.map((file) => ({ file, path: file.webkitRelativePath || file.name })),
    );
  };
  return (
    <>
      <Button size="sm" kind="ghost" aria-label={`${action} ${record.title}`} onClick={() => input.current?.click()}>
        {action}
      </Button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        aria-hidden="true"
        onChange={onChange}
        {...(folder ? { webkitdirectory: '' } : {})}
      />
    </>
  );
}
