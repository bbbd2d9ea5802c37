/**
 * One part of a node-to-node send over a remote upload session (docs/http-gateway.md §11.2), with
 * its retries (docs/node-api.md §5.1): a part that fails on a blip (part-retry.ts) waits, asks the
 * session what it holds (§11.3) and sends only the rest, so a part cut at 90 % sends about 10 %
 * again. Its bytes count in the record once: what the remote holds and what the socket has taken
 * since, never more than was counted already.
 */
import type { Agent, ClientRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { NodeError } from '../errors';
import { missingRanges, type ByteRange } from '../gateway/byte-ranges';
import { pumpFile } from '../storage/file-pump';
import { exchange, readSmall, remoteError } from './gateway-client';
import type { LocalFile } from './local-sources';
import { isTransient, PART_ATTEMPTS, retryDelayMs } from './part-retry';

export type Part = { file: number; start: number; end: number };
export type Range = [number, number];

/** Where the parts go and how they are retried. */
export interface PartRoute {
  /** The session's URL (`{sessions}/{id}`). */
  base: string;
  agent: Agent;
  /** Aborted by a cancel, or by another part's final failure. */
  stop: AbortSignal;
  /** The wait before a part's first retry; doubled at each further one. */
  retryDelayMs: number;
  /** A part request that moves no byte for this long is cut (and retried). */
  idleMs: number;
}

/**
 * Sends `part` until the remote holds all of it, or throws: at once when the failure is not
 * transient, else after PART_ATTEMPTS with an error that names the bytes and the last cause.
 */
export async function sendPartWithRetries(route: PartRoute, part: Part, file: LocalFile, count: (bytes: number) => void): Promise<void> {
  const length = part.end - part.start;
  let counted = 0;
  let held = 0;
  let ranges: ByteRange[] = [[part.start, part.end]];
  // Failed attempts that count against PART_ATTEMPTS, and since when the remote is still writing
  // this part's cut request (0: it is not).
  let failed = 0;
  let writingSince = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      if (attempt > 1) {
        ranges = await missingOfPart(route, part);
        held = length - ranges.reduce((sum, [s, e]) => sum + e - s, 0);
      }
      let moved = 0;
      const onBytes = (n: number) => {
        moved += n;
        const now = Math.min(length, held + moved);
        if (now > counted) count(now - counted);
        counted = Math.max(counted, now);
      };
      for (const [start, end] of ranges) await sendRange(route, { file: part.file, start, end }, file, onBytes);
      if (counted < length) count(length - counted);
      return;
    } catch (err) {
      if (route.stop.aborted || !isTransient(err, attempt > 1)) throw err;
      // A connection cut between the nodes may live on at the remote until its own idle limit (the
      // same 60 s by default): it refuses the bytes meanwhile (409), which is waiting, not failing.
      const stillWriting = attempt > 1 && err.status === 409;
      writingSince = stillWriting ? writingSince || Date.now() : 0;
      if (!stillWriting || Date.now() - writingSince >= route.idleMs) failed += 1;
      if (failed >= PART_ATTEMPTS)
        throw new NodeError(
          err.status,
          `Bytes ${part.start}–${part.end - 1} of ${file.nodePath} failed ${attempt} times; the last time: ${err.message}`,
          'interrupted',
        );
      await sleep(retryDelayMs(failed, route.retryDelayMs, err.headers['Retry-After']), undefined, { signal: route.stop }).catch(() => {
        throw new NodeError(499, 'The transfer was canceled');
      });
    }
  }
}

/** The ranges of `part` the remote does not hold (docs/http-gateway.md §11.3). */
async function missingOfPart(route: PartRoute, part: Part): Promise<ByteRange[]> {
  const status = await call(route.base, 'GET', undefined, route.agent, route.stop, route.idleMs);
  if (status.status !== 200) throw remoteError(status.status, status.text, status.retryAfter);
  const received = parseSession(status.text)?.files[part.file]?.received;
  if (!received) throw new NodeError(502, 'The remote HTTP Gateway answered a session status this node cannot read', 'remote');
  const sorted = [...received].sort((a, b) => a[0] - b[0]);
  return missingRanges(sorted, part.end)
    .map(([s, e]): ByteRange => [Math.max(s, part.start), e])
    .filter(([s, e]) => e > s);
}

async function sendRange(route: PartRoute, part: Part, file: LocalFile, onBytes: (n: number) => void): Promise<void> {
  let sending: Promise<void> = Promise.resolve();
  let request: ClientRequest | undefined;
  const answer = await exchange(
    `${route.base}/files/${part.file}`,
    {
      method: 'PATCH',
      headers: {
        'content-type': 'application/offset+octet-stream',
        'upload-offset': String(part.start),
        'content-length': String(part.end - part.start),
      },
      agent: route.agent,
    },
    route.stop,
    (req) => {
      request = req;
      cutWhenIdle(req, route.idleMs);
      return (sending = pumpFile(file.abs, part.start, part.end - part.start, req, onBytes).catch(() => {
        // A file that shrank or went while it was read: the remote must not take a hole.
        req.destroy();
        throw new NodeError(409, `${file.nodePath} changed while it was sent`, 'changed');
      }));
    },
  );
  const text = await readSmall(answer);
  if (answer.statusCode !== 204) {
    // Answered before its body went (a refusal, a proxy's 503): the rest of the part is not sent for nothing.
    request?.destroy();
    throw remoteError(answer.statusCode ?? 502, text, answer.headers['retry-after']);
  }
  await sending;
}

export async function call(
  url: string,
  method: string,
  body: unknown,
  agent: Agent | undefined,
  signal: AbortSignal,
  idleMs?: number,
): Promise<{ status: number; text: string; retryAfter: string | undefined }> {
  const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
  const headers: Record<string, string> = payload
    ? { 'content-type': 'application/json', 'content-length': String(payload.length) }
    : { 'content-length': '0' };
  const answer = await exchange(url, { method, headers, ...(agent ? { agent } : {}) }, signal, async (req) => {
    if (idleMs) cutWhenIdle(req, idleMs);
    req.end(payload ?? undefined);
  });
  return { status: answer.statusCode ?? 502, text: await readSmall(answer), retryAfter: answer.headers['retry-after'] };
}

export function parseSession(text: string): { session_id: string; files: { size: number; received: Range[] }[] } | null {
  try {
    const body = JSON.parse(text) as { session_id?: unknown; files?: unknown };
    if (typeof body.session_id !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(body.session_id) || !Array.isArray(body.files)) return null;
    const files = body.files as { size?: unknown; received?: unknown }[];
    if (!files.every((f) => typeof f.size === 'number' && Array.isArray(f.received) && f.received.every(isRange))) return null;
    return { session_id: body.session_id, files: files as { size: number; received: Range[] }[] };
  } catch {
    return null;
  }
}

function isRange(range: unknown): range is Range {
  return Array.isArray(range) && range.length === 2 && range.every((n) => Number.isSafeInteger(n) && n >= 0) && range[0] <= range[1];
}

/** A connection that stalls (a proxy that dropped it silently) is cut, as a reset one is, and retried. */
function cutWhenIdle(req: ClientRequest, idleMs: number): void {
  req.setTimeout(idleMs, () => req.destroy(new Error(`no byte moved for ${idleMs / 1000} s`)));
}
