/**
 * One part of an upload session (docs/http-gateway.md §11.2): its headers checked against the
 * session, then its body streamed to its offset in the file's staged file, counted into the
 * attempt's record as it arrives.
 */
import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { NodeContext } from '../context';
import { asNodeError, ERRORS, NodeError } from '../errors';
import type { LiveTransfer } from '../transfers/transfer-store';
import { overlaps } from './byte-ranges';
import type { Session, SessionFile } from './upload-session-model';
import { watchUpload } from './upload-watch';

// §11.2: a part is one request; 64 MiB bounds what one lost connection costs to send again.
export const MAX_PART_BYTES = 64 * 1024 * 1024;

type Part = { start: number; end: number; written: number };

/** The part's file, offset and length, or a clear refusal. */
export function checkPart(session: Session, index: number, offsetHeader: unknown, lengthHeader: unknown) {
  const file = session.files[index];
  if (!file) throw ERRORS.notFound(`The session has no file ${index}`);
  if (typeof offsetHeader !== 'string' || !/^\d{1,16}$/.test(offsetHeader))
    throw ERRORS.badRequest('Upload-Offset must be a decimal byte offset');
  if (typeof lengthHeader !== 'string' || !/^\d{1,16}$/.test(lengthHeader))
    throw new NodeError(411, 'A part needs a Content-Length', 'length_required');
  const offset = Number(offsetHeader);
  const length = Number(lengthHeader);
  if (length === 0) throw ERRORS.badRequest('A part must carry at least one byte');
  if (length > MAX_PART_BYTES) throw ERRORS.tooLarge(`A part carries at most ${MAX_PART_BYTES} bytes`);
  if (offset + length > file.size)
    throw ERRORS.badRequest(`The part ends at byte ${offset + length}, past the ${file.size} bytes of ${file.path}`);
  for (const other of file.inflight) {
    // Two parts writing the same bytes at once could interleave different data.
    if (overlaps([other.start, other.end], [offset, offset + length]))
      throw ERRORS.exists(`Bytes ${offset}-${offset + length - 1} of ${file.path} are already being received`);
  }
  if (session.state !== 'open') throw ERRORS.exists('The session is completing');
  return { file, offset, length };
}

/**
 * Streams the body to `part.start`; resolves, never rejects, with the bytes that reached the disk
 * (null when nothing was opened) and the error that stopped it, if one did.
 */
export async function writePart(
  ctx: NodeContext,
  file: SessionFile,
  part: Part,
  live: LiveTransfer,
  req: IncomingMessage,
): Promise<{ written: number | null; error: NodeError | null }> {
  const length = part.end - part.start;
  let sink: WriteStream | null = null;
  let failure: NodeError | null = null;
  let error: NodeError | null = null;
  try {
    file.created ??= ctx.uploads.createPartial(file.partial);
    await file.created;
    sink = ctx.uploads.writeAt(file.partial, part.start);
    const record = live.record;
    const counter = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        part.written += chunk.length;
        if (part.written > length) return done(ERRORS.badRequest('The part is longer than its Content-Length'));
        record.bytesTransferred += chunk.length;
        if (file.record) file.record.bytesWritten += chunk.length;
        done(null, chunk);
      },
    });
    // Armed only now: its 'data' listener starts the body flowing, which must go to the pipeline.
    const limits = ctx.limits;
    watchUpload(req, { authorizeMs: limits.uploadIdleTimeoutMs, idleMs: limits.uploadIdleTimeoutMs }, (e) => {
      failure = e;
      req.destroy();
    }).authorized();
    await pipeline(req, counter, sink);
  } catch (err) {
    error = asNodeError(
      failure ?? (req.destroyed && !req.complete ? new NodeError(499, 'The client closed the connection during the part') : err),
    );
  }
  if (sink && !sink.closed) await once(sink, 'close').catch(() => undefined);
  return { written: sink ? sink.bytesWritten : null, error };
}
