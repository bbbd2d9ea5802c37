/**
 * What the node holds of one upload session (docs/http-gateway.md §11), in memory, and the record
 * of its current attempt in `/ops/transfers` (docs/node-api.md §5): the session's bytes are the
 * bytes held plus those arriving, so a part sent again is not counted twice.
 */
import type { IncomingMessage } from 'node:http';
import type { NodeContext } from '../context';
import type { UploadBatch } from '../storage/upload-writer';
import type { LiveTransfer } from '../transfers/transfer-store';
import { MAX_FILES_PER_RECORD, nowUsec, type TransferFile } from '../transfers/transfer-record';
import { heldBytes, type ByteRange } from './byte-ranges';
import type { StoredSession } from './upload-session-store';

export interface SessionFile {
  path: string;
  segments: string[];
  size: number;
  partial: string;
  created: Promise<void> | null;
  held: ByteRange[];
  inflight: Set<{ start: number; end: number; written: number }>;
  record: TransferFile | null;
}

export interface Session {
  /** The hash of the id (upload-session-store.ts): the id itself is only the client's. */
  key: string;
  files: SessionFile[];
  grant: string;
  overwrite: boolean;
  grantRoot: string[];
  batch: UploadBatch;
  /**
   * The record of the current attempt (§11.4): begun when the session is created or a part arrives
   * after a cut, failed when the connections carrying it are cut, so `/ops/transfers` says what a
   * v3 upload's record would: running while bytes come, failed when they stopped.
   */
  live: LiveTransfer | null;
  recordInit: Parameters<NodeContext['transfers']['begin']>[0];
  tokenExpMs: number;
  expiresAt: number;
  state: 'open' | 'completing' | 'ended';
  requests: Set<IncomingMessage>;
}

export interface SessionStatus {
  session_id: string;
  expires_at: string;
  files: { path: string; size: number; received: ByteRange[] }[];
}

/** The record's bytes are the bytes held plus those arriving: a part sent again is not counted twice. */
export function recount(session: Session, changed: SessionFile): void {
  if (changed.record) changed.record.bytesWritten = heldBytes(changed.held) + sumWritten(changed);
  if (session.live) session.live.record.bytesTransferred = session.files.reduce((sum, f) => sum + heldBytes(f.held) + sumWritten(f), 0);
}

/** The current attempt's record, begun with the bytes the session already holds. */
export function attempt(ctx: NodeContext, session: Session, onAbort: () => void): LiveTransfer {
  if (session.live) return session.live;
  const live = ctx.transfers.begin(session.recordInit);
  for (const file of session.files.slice(0, MAX_FILES_PER_RECORD)) {
    const bytesWritten = heldBytes(file.held);
    file.record = { path: file.path, size: file.size, bytesWritten, status: 'transferring', startUsec: nowUsec(), endUsec: 0 };
    live.record.files.push(file.record);
  }
  session.live = live;
  recount(session, session.files[0] as SessionFile);
  live.abort.signal.addEventListener('abort', onAbort);
  return live;
}

export function snapshot(session: Session): StoredSession {
  return {
    version: 1,
    grant: session.grant,
    overwrite: session.overwrite,
    grantRoot: session.grantRoot,
    tokenExpMs: session.tokenExpMs,
    recordInit: session.recordInit,
    files: session.files.map((f) => ({ path: f.path, segments: f.segments, size: f.size, held: f.held.map(([s, e]) => [s, e]) })),
  };
}

function sumWritten(file: SessionFile): number {
  let sum = 0;
  for (const part of file.inflight) sum += part.written;
  return sum;
}
