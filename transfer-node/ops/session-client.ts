/**
 * This node as a client of a remote gateway's upload sessions (docs/http-gateway.md §11), used for a
 * large send when the remote's `/info` offers them (§11.1): the files go as raw parts of at most
 * PART_BYTES, PARALLEL at a time over kept-alive connections, each read from its offset on disk
 * into a few reused buffers (storage/file-pump.ts), so the remote writes them at their offsets
 * without parsing a multipart body. The session's files stay staged at the remote until the completion renames them
 * (no partial under a final name). A part that fails on a blip is sent again (session-part.ts)
 * while the others go on. A cancel or a refusal deletes the session; a send whose retries ran out,
 * or cut by this node's death, keeps it, and is continued when the same spec is posted again
 * (outgoing-sessions.ts).
 * Measured against the one multipart upload in docs/performance.md ("node to node").
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NodeError } from '../errors';
import { exchange, readSmall, remoteError, type Progress } from './gateway-client';
import type { LocalFile } from './local-sources';
import type { OutgoingSessions } from './outgoing-sessions';
import { isTransient } from './part-retry';
import { call, parseSession, sendPartWithRetries, type Part, type Range } from './session-part';

/** A part; the remote's own cap (`part_size_max`) applies when it is lower. */
export const PART_BYTES = 32 * 1024 * 1024;
/** Parts in flight at once, each on its own connection. */
export const PARALLEL = 4;
/** More files than this go as one v3 upload: one request per file would cost more than it saves. */
export const SESSION_MAX_FILES = 500;
const INFO_TIMEOUT_MS = 10_000;
const CLEANUP_TIMEOUT_MS = 10_000;

/** How a node sends over sessions; `startTransferNode({ send })` changes it (tests send small parts). */
export interface SendTuning {
  /** Bytes per part; a send of fewer bytes goes as one v3 upload (three more round trips would not pay). */
  partBytes: number;
  /** The wait before a failed part's first retry, doubled at each further one (part-retry.ts). */
  retryDelayMs: number;
  /** A part request that moves no byte for this long is cut and retried: the remote's own upload idle limit. */
  partIdleMs: number;
}

export const DEFAULT_SEND_TUNING: SendTuning = { partBytes: PART_BYTES, retryDelayMs: 500, partIdleMs: 60_000 };

export function resolveSendTuning(given: Partial<SendTuning> = {}): SendTuning {
  const tuning = { ...DEFAULT_SEND_TUNING };
  for (const [key, value] of Object.entries(given) as [keyof SendTuning, number | undefined][]) {
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`send.${key} must be a positive integer`);
    tuning[key] = value;
  }
  return tuning;
}

export interface RemoteSessions {
  /** `{gateway}/v3/upload-sessions`, on the URL this node reaches the gateway by. */
  url: string;
  partSizeMax: number;
}

/** What the remote's `/info` says about sessions (docs/http-gateway.md §11.1); null: v3 only. */
export async function remoteSessions(gatewayUrl: string, signal: AbortSignal): Promise<RemoteSessions | null> {
  try {
    const answer = await exchange(
      `${gatewayUrl}/info`,
      { method: 'GET', headers: { accept: 'application/json' } },
      AbortSignal.any([signal, AbortSignal.timeout(INFO_TIMEOUT_MS)]),
      async (req) => {
        req.end();
      },
    );
    const text = await readSmall(answer);
    if (answer.statusCode !== 200) return null;
    const info = (JSON.parse(text) as { courier_upload_sessions?: { version?: unknown; path?: unknown; part_size_max?: unknown } })
      .courier_upload_sessions;
    if (info?.version !== 1 || typeof info.path !== 'string' || !/^\/[A-Za-z0-9/_-]+$/.test(info.path)) return null;
    const max = info.part_size_max;
    if (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 1) return null;
    return { url: `${gatewayUrl}${info.path}`, partSizeMax: max };
  } catch {
    if (signal.aborted) throw new NodeError(499, 'The transfer was canceled');
    // An /info that fails or is not JSON: the v3 upload says what is wrong, if anything.
    return null;
  }
}

export async function uploadOverSessions(
  remote: RemoteSessions,
  spec: Record<string, unknown>,
  files: readonly LocalFile[],
  progress: Progress,
  signal: AbortSignal,
  memory: OutgoingSessions,
  tuning: SendTuning = DEFAULT_SEND_TUNING,
): Promise<void> {
  const token = typeof spec.token === 'string' ? spec.token : '';
  const sizes = files.map((f) => f.size);
  const agent = new (remote.url.startsWith('https:') ? HttpsAgent : HttpAgent)({ keepAlive: true, maxSockets: PARALLEL });
  const lanesStop = new AbortController();
  const stop = AbortSignal.any([signal, lanesStop.signal]);
  let id: string | null = null;
  try {
    const opened = await openSession(remote, spec, files, token, memory, agent, signal);
    id = opened.id;
    const base = `${remote.url}/${id}`;
    const route = { base, agent, stop, retryDelayMs: tuning.retryDelayMs, idleMs: tuning.partIdleMs };
    const remaining = sizes.map((size, index) => size - heldIn(opened.held[index] ?? [], size));
    for (const [index, left] of remaining.entries()) {
      const held = (sizes[index] ?? 0) - left;
      if (held > 0) progress.bytes(index, held);
      if (left === 0) progress.fileDone(index);
    }
    const queue = planParts(sizes, opened.held, Math.min(tuning.partBytes, remote.partSizeMax));
    let failure: unknown = null;
    const lane = async () => {
      for (let part = queue.shift(); part && !stop.aborted; part = queue.shift()) {
        const index = part.file;
        try {
          await sendPartWithRetries(route, part, files[index] as LocalFile, (n) => progress.bytes(index, n));
        } catch (err) {
          failure ??= err;
          lanesStop.abort();
          return;
        }
        const left = (remaining[index] ?? 0) - (part.end - part.start);
        remaining[index] = left;
        if (left === 0) progress.fileDone(index);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, Math.max(1, queue.length)) }, lane));
    if (signal.aborted) throw new NodeError(499, 'The transfer was canceled');
    if (failure) throw failure;
    // §11.4: the sizes only; a SHA-256 would make the remote read every byte again.
    const done = await call(`${base}/complete`, 'POST', { files: sizes.map((size) => ({ size })) }, agent, signal);
    if (done.status !== 200) {
      // 409 (bytes missing) leaves the session, which the catch below removes; 422 and 404 ended it.
      throw remoteError(done.status, done.text, done.retryAfter);
    }
    id = null;
    await memory.forget(token);
  } catch (err) {
    // A blip that outlasted the retries keeps the session and its bytes for the same spec posted
    // again; a cancel or a refusal gives the grant back (docs/node-api.md §5.1).
    const resumable = !signal.aborted && err instanceof NodeError && (err.kind === 'interrupted' || isTransient(err, false));
    if (id && !resumable) await discard(`${remote.url}/${id}`, token, memory);
    throw signal.aborted ? new NodeError(499, 'The transfer was canceled') : err;
  } finally {
    agent.destroy();
  }
}

/** The earlier session this token left (this node died during it) when the remote still holds it, else a new one. */
async function openSession(
  remote: RemoteSessions,
  spec: Record<string, unknown>,
  files: readonly LocalFile[],
  token: string,
  memory: OutgoingSessions,
  agent: HttpAgent,
  signal: AbortSignal,
): Promise<{ id: string; held: Range[][] }> {
  const earlier = token ? await memory.find(token) : null;
  if (earlier) {
    const status = await call(`${remote.url}/${earlier.id}`, 'GET', undefined, agent, signal);
    const body = status.status === 200 ? parseSession(status.text) : null;
    if (body && body.files.length === files.length && body.files.every((f, i) => f.size === files[i]?.size))
      return { id: earlier.id, held: body.files.map((f) => f.received) };
    // Gone (completed, expired) or another set of files: the remote gives the grant back when it ends.
    if (body) await discard(`${remote.url}/${earlier.id}`, token, memory);
    else await memory.forget(token);
  }
  const transferSpec = { ...spec, source_root: '', paths: files.map((f) => ({ source: f.destination, destination: f.destination })) };
  const created = await call(
    remote.url,
    'POST',
    { transfer_spec: transferSpec, files: files.map((f) => ({ size: f.size })) },
    agent,
    signal,
  );
  if (created.status !== 201) throw remoteError(created.status, created.text);
  const body = parseSession(created.text);
  if (!body) throw new NodeError(502, 'The remote HTTP Gateway answered an upload session this node cannot read', 'remote');
  if (token) await memory.keep(token, { id: body.session_id, sizes: files.map((f) => f.size) });
  return { id: body.session_id, held: files.map(() => []) };
}

/** §11.4: staged files removed and the token's grant given back; kept in memory if the remote cannot be told. */
async function discard(url: string, token: string, memory: OutgoingSessions): Promise<void> {
  try {
    const answer = await call(url, 'DELETE', undefined, undefined, AbortSignal.timeout(CLEANUP_TIMEOUT_MS));
    if (answer.status === 204 || answer.status === 404) await memory.forget(token);
  } catch {
    // unreachable: the remote ends the session when it expires (docs/http-gateway.md §11.5)
  }
}

/** The byte ranges not held, cut into parts of at most `partSize`, file by file. */
export function planParts(sizes: readonly number[], held: readonly (readonly Range[])[], partSize: number): Part[] {
  const parts: Part[] = [];
  for (const [file, size] of sizes.entries()) {
    let at = 0;
    const gaps: Range[] = [];
    for (const [start, end] of [...(held[file] ?? [])].sort((a, b) => a[0] - b[0])) {
      if (start > at) gaps.push([at, Math.min(start, size)]);
      at = Math.max(at, end);
    }
    if (at < size) gaps.push([at, size]);
    for (const [start, end] of gaps)
      for (let s = start; s < end; s += partSize) parts.push({ file, start: s, end: Math.min(end, s + partSize) });
  }
  return parts;
}

function heldIn(ranges: readonly Range[], size: number): number {
  const gaps = planParts([size], [ranges], Number.MAX_SAFE_INTEGER);
  return size - gaps.reduce((sum, p) => sum + p.end - p.start, 0);
}
