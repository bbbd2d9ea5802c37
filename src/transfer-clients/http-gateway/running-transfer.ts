/**
 * One transfer as this page runs it through the gateway (http-gateway-client.ts): its state, the
 * watchdog that ends a stalled one, and the per-file list its events carry.
 */
import type { StartRequest, TransferClientEvent } from '../transfer-client';
import { downloadFileProgress, filesSent, uploadFileProgress, type SentFile } from './gateway-files';
import type { SessionState } from './upload-session';

export interface Running {
  request: StartRequest;
  last: TransferClientEvent;
  abort?: () => void;
  removed?: boolean;
  lastActivity: number;
  /** Upload body sent: the server may take its time to store or forward it; not a stall. */
  awaitingAnswer?: boolean;
  stalled?: boolean;
  watchdog?: ReturnType<typeof setInterval>;
  /** What the per-file list last said (status and files sent): it is emitted again only when this changes. */
  filesKey?: string;
  /** The upload session carrying it (docs/http-gateway.md §11), kept so a retry sends only what is missing. */
  session?: SessionState;
}

/** The per-file list when it changed: as each file of an upload is sent, and on every status change. */
export function fileProgress(entry: Running, event: TransferClientEvent) {
  const { request } = entry;
  if (request.direction === 'upload') {
    const files: SentFile[] = (request.sources ?? []).map((s) => ({ path: s.path, size: s.file.size }));
    const key = `${event.status}:${filesSent(files, event.bytesDone)}`;
    if (key === entry.filesKey) return undefined;
    entry.filesKey = key;
    return uploadFileProgress(files, event.status, event.bytesDone, event.error?.message);
  }
  const key = event.status;
  if (key === entry.filesKey) return undefined;
  entry.filesKey = key;
  return downloadFileProgress(specSources(request.transferSpec), event.status, event.bytesDone, event.bytesTotal, event.error?.message);
}

/** Aborts the transfer, marked stalled, once nothing moved for `stallMs` (bytes, status, or an answer awaited). */
export function watchStall(entry: Running, stallMs: number): void {
  entry.lastActivity = Date.now();
  entry.stalled = false;
  entry.awaitingAnswer = false;
  clearInterval(entry.watchdog);
  entry.watchdog = setInterval(
    () => {
      if (entry.awaitingAnswer || !entry.abort || Date.now() - entry.lastActivity < stallMs) return;
      entry.stalled = true;
      entry.abort();
    },
    Math.min(5000, Math.max(10, stallMs / 4)),
  );
}

/** The space paths a download spec asks for, in its order. */
function specSources(spec: Record<string, unknown>): string[] {
  const paths = Array.isArray(spec.paths) ? (spec.paths as { source?: unknown }[]) : [];
  return paths.map((p) => p?.source).filter((p): p is string => typeof p === 'string');
}
