import type { FileProgress, TransferClientStatus } from '../transfer-client';

/** A file of a gateway upload, in the order of the multipart body. */
export interface SentFile {
  path: string;
  size: number;
}

// The node keeps an upload's files only when the whole body arrived (docs/http-gateway.md §3.1).
const NOT_KEPT = 'Not stored: the upload stopped before it completed.';

/**
 * Per-file status of a gateway upload from the bytes sent: v3 sends one body with the files one
 * after another (docs/http-gateway.md §3.1), so the files before the byte count are sent, the one
 * it falls in is being sent, the rest wait. A sent file is `running` until the node answers for
 * the whole upload: it stores every file or none.
 */
export function uploadFileProgress(
  files: readonly SentFile[],
  status: TransferClientStatus,
  bytesDone: number,
  error?: string,
): FileProgress[] {
  // A failure blames the file the body stopped in; when every file was sent, the node refused the
  // whole upload and each file carries its reason.
  const stoppedIn = filesSent(files, bytesDone);
  let offset = 0;
  return files.map(({ path, size }, i) => {
    const start = offset;
    offset += size;
    const done = Math.max(0, Math.min(size, bytesDone - start));
    if (status === 'completed') return { path, status: 'completed', bytesDone: size, bytesTotal: size };
    if (status === 'cancelled') return { path, status: 'skipped', bytesDone: done, bytesTotal: size };
    if (status === 'failed') {
      const blamed = stoppedIn === files.length || i === stoppedIn;
      return { path, status: 'failed', bytesDone: done, bytesTotal: size, error: blamed && error ? error : NOT_KEPT };
    }
    return { path, status: i < stoppedIn || (i === stoppedIn && done > 0) ? 'running' : 'queued', bytesDone: done, bytesTotal: size };
  });
}

/** How many files of the body are wholly sent: the per-file list changes only when this does. */
export function filesSent(files: readonly SentFile[], bytesDone: number): number {
  let offset = 0;
  let count = 0;
  for (const { size } of files) {
    offset += size;
    if (offset > bytesDone) break;
    count += 1;
  }
  return count;
}

const DOWNLOAD_STATUS: Record<TransferClientStatus, FileProgress['status']> = {
  queued: 'queued',
  starting: 'queued',
  running: 'running',
  paused: 'queued',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'skipped',
};

/**
 * A gateway download's paths as asked for (a folder is one path, zipped with the rest): the
 * gateway streams one body, so each shares the transfer's status; bytes only when there is one.
 */
export function downloadFileProgress(
  paths: readonly string[],
  status: TransferClientStatus,
  bytesDone: number,
  bytesTotal: number | null,
  error?: string,
): FileProgress[] {
  const single = paths.length === 1;
  return paths.map((path) => ({
    path,
    status: DOWNLOAD_STATUS[status],
    bytesDone: single ? bytesDone : 0,
    bytesTotal: single ? bytesTotal : null,
    ...(status === 'failed' && error ? { error } : {}),
  }));
}
