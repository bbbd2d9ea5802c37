import { Button, ProgressBar, Tag } from '@carbon/react';
import { Download, Upload } from '@carbon/icons-react';
import { Link } from 'react-router';
import type { TransferRecord } from '../../../../contract/transfers';
import { folderUrl } from '../../../lib/folder-url';
import { formatBytes } from '../../../lib/format-bytes';
import type { TransferClientStatus } from '../../../transfer-clients';
import { useTransferRunner } from '../engine/transfer-engine-provider';
import { displayStatus, isEnded } from '../lib/display-status';
import { formatDuration } from '../lib/format-duration';
import { useLiveProgress, useTransfersStore } from '../stores/transfers-store';

const CLIENT_NAME = { desktop: 'IBM Aspera for Desktop', 'http-gateway': 'HTTP Gateway' } as const;

const STATUS: Record<TransferClientStatus, { label: string; tag: 'gray' | 'blue' | 'green' | 'red' | 'warm-gray' }> = {
  queued: { label: 'Queued', tag: 'gray' },
  starting: { label: 'Starting', tag: 'blue' },
  running: { label: 'Running', tag: 'blue' },
  paused: { label: 'Paused', tag: 'warm-gray' },
  failed: { label: 'Failed', tag: 'red' },
  completed: { label: 'Completed', tag: 'green' },
  cancelled: { label: 'Cancelled', tag: 'warm-gray' },
};

/** One transfer: subscribes to its own live progress only, so 500 running rows stay cheap. */
export function TransferRow({ record }: { record: TransferRecord }) {
  const live = useLiveProgress(record.id);
  const carrier = useTransfersStore((s) => s.carriers[record.id]);
  const carriedBy = carrier ?? (record.client ? { kind: record.client, reason: '' } : undefined);
  const runner = useTransferRunner();
  const status = displayStatus(record, live?.status);
  const bytesTotal = live?.bytesTotal ?? record.bytesExpected;
  const bytesDone = status === 'completed' && bytesTotal !== null ? bytesTotal : Math.max(live?.bytesDone ?? 0, record.bytesTransferred);
  const percent = bytesTotal ? Math.min(100, Math.floor((bytesDone / bytesTotal) * 100)) : status === 'completed' ? 100 : null;
  const active = !isEnded(status);
  const error = live?.error?.message ?? record.error;
  const Icon = record.direction === 'upload' ? Upload : Download;
  const titleId = `transfer-${record.id}-title`;

  const details = [
    `${record.fileCount.toLocaleString('en')} ${record.fileCount === 1 ? (record.direction === 'upload' ? 'file' : 'item') : record.direction === 'upload' ? 'files' : 'items'}`,
    bytesTotal !== null ? `${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)}` : formatBytes(bytesDone),
    active && live?.rate ? `${formatBytes(live.rate)}/s` : null,
    active && live?.eta != null ? `${formatDuration(live.eta)} left` : null,
    live?.handedToBrowser && active ? "In your browser's downloads" : null,
  ].filter(Boolean);

  return (
    <li className="courier-transfer" aria-labelledby={titleId}>
      <div className="courier-transfer__head">
        <Icon aria-hidden="true" className="courier-transfer__icon" />
        <span className="cds--visually-hidden">{record.direction === 'upload' ? 'Upload' : 'Download'}:</span>
        <span id={titleId} className="courier-transfer__title">
          {record.title}
        </span>
        <Tag size="sm" type={STATUS[status].tag} className="courier-transfer__status">
          {STATUS[status].label}
        </Tag>
      </div>
      <ProgressBar
        label={`${record.direction === 'upload' ? 'Upload' : 'Download'} progress of ${record.title}`}
        hideLabel
        value={percent ?? undefined}
        max={100}
        status={status === 'failed' ? 'error' : status === 'completed' ? 'finished' : 'active'}
        size="small"
        helperText={`${percent !== null ? `${percent}% · ` : ''}${details.join(' · ')}`}
      />
      {carriedBy ? (
        <p className="courier-transfer__client" title={carrier?.reason}>
          {CLIENT_NAME[carriedBy.kind]}
          {carrier?.reason ? ` — ${carrier.reason}` : ''}
        </p>
      ) : null}
      {status === 'failed' && error ? <p className="courier-transfer__error">{error}</p> : null}
      <div className="courier-transfer__actions">
        {active ? (
          <Button size="sm" kind="ghost" onClick={() => void runner.cancel(record)}>
            Cancel
          </Button>
        ) : null}
        {(status === 'failed' || status === 'cancelled') && runner.canRetry(record) ? (
          <Button size="sm" kind="ghost" aria-label={`Retry ${record.title}`} onClick={() => void runner.retry(record)}>
            Retry
          </Button>
        ) : null}
        {record.direction === 'upload' ? (
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
    </li>
  );
}
