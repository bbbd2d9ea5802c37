import type { FileProgress, TransferClientEvent, TransferClientStatus } from '../transfer-client';
import { transferFailure } from './sdk-errors';
import type { AsperaSdkTransfer, FileStat, SdkTransferStatus } from './sdk-types';

/** The SDK's statuses (§6) onto Courier's closed union. `removed` is handled by the adapter. */
export function mapSdkStatus(status: SdkTransferStatus): TransferClientStatus {
  switch (status) {
    case 'initiating':
      return 'starting';
    case 'queued':
    case 'willretry': // waiting for its next automatic attempt: not moving bytes, not ended
      return 'queued';
    case 'running':
      return 'running';
    case 'paused':
      return 'paused';
    case 'completed':
      return 'completed';
    case 'cancelled':
    case 'removed':
      return 'cancelled';
    case 'failed':
    case 'orphaned': // Desktop lost the ascp session: it will not end by itself
      return 'failed';
    default:
      return 'running';
  }
}

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;

/**
 * A new event built from the SDK object's fields: nothing of the (mutable, §7) SDK object is shared.
 * `percentage` is a 0..1 fraction (§6) and may be NaN, Infinity or above 1 for gateway downloads:
 * bytes come from `bytes_written`/`bytes_expected`, the fraction only fills in when bytes are missing.
 */
export function toClientEvent(transferId: string, t: AsperaSdkTransfer): TransferClientEvent {
  const status = mapSdkStatus(t.status);
  const total = finite(t.bytes_expected) && t.bytes_expected > 0 ? t.bytes_expected : null;
  let done = finite(t.bytes_written) ? t.bytes_written : 0;
  if (!finite(t.bytes_written) && total !== null && finite(t.percentage)) done = Math.round(Math.min(1, t.percentage) * total);
  if (total !== null) done = Math.min(done, total);
  const event: TransferClientEvent = {
    transferId,
    status,
    bytesDone: done,
    bytesTotal: status === 'completed' && total === null ? done : total,
  };
  if (status === 'failed') {
    event.error =
      t.status === 'orphaned'
        ? { code: 'TRANSFER_FAILED', message: 'IBM Aspera for Desktop lost track of this transfer: start it again.' }
        : transferFailure(t);
  }
  if (t.httpDownloadExternalHandle) event.handedToBrowser = true;
  return event;
}

const FILE_STATUS: Record<FileStat['status'], FileProgress['status']> = {
  finished: 'completed',
  running: 'running',
  failed: 'failed',
  skipped: 'skipped',
};

/** Desktop's per-file list (§9) as Courier's file progress, so a retry can take only the failed files. */
export function toFileProgress(entries: readonly FileStat[]): FileProgress[] {
  return entries.map((f) => {
    const progress: FileProgress = {
      path: f.file,
      status: FILE_STATUS[f.status] ?? 'running',
      bytesDone: finite(f.bytes_written) ? f.bytes_written : 0,
      bytesTotal: finite(f.bytes_expected) ? f.bytes_expected : null,
    };
    if (f.error?.description) progress.error = f.error.description;
    return progress;
  });
}
