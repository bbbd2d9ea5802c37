import type { UploadSource } from '../transfer-client';
import type { TransferError } from '../transfer-error';
import { gatewayHttpError } from './gateway-error';
import { normaliseGatewayUrl } from './gateway-url';
import type { GatewayUpdate } from './upload';
import { specWithPaths } from './upload-form';
import { heldTotal, planParts, type UploadPart } from './upload-parts';

/** How parts are cut and sent; defaults measured with bench/ (docs/performance.md, "Upload sessions in Chromium"). */
export interface SessionTuning {
  partSize: number;
  parallel: number;
}

/**
 * The session an upload uses, kept across a retry so it sends only what is missing. `resumeOnly`:
 * the upload is resumed after a reload, without the spec's token, so a session that is gone cannot
 * be started again.
 */
export interface SessionState {
  id: string | null;
  resumeOnly?: boolean;
}

interface SessionBody {
  session_id: string;
  files: { path: string; size: number; received: [number, number][] }[];
}

const SESSIONS = '/v3/upload-sessions';

/**
 * An upload through a session (docs/http-gateway.md §11): created with the spec (or the earlier
 * one asked for what it holds), then parts sent `parallel` at a time, each an XHR of a
 * `File.slice()` (the browser reads it from disk; XHR for upload progress), then completed.
 * Returns the abort: `keep` leaves the session on the node for a retry (a stall, a lost network),
 * `discard` deletes it (the person cancelled).
 */
export function runSessionUpload(
  base: string,
  transferSpec: Record<string, unknown>,
  sources: readonly UploadSource[],
  state: SessionState,
  deps: {
    fetch: typeof fetch;
    createXhr: () => XMLHttpRequest;
    tuning: SessionTuning;
    /** The session's id when it changes: created, or gone (completed, cancelled, expired). */
    onSession?: (id: string | null) => void;
  },
  report: (u: GatewayUpdate) => void,
): (how: 'keep' | 'discard') => void {
  const url = `${normaliseGatewayUrl(base)}${SESSIONS}`;
  const setId = (id: string | null) => {
    if (state.id === id) return;
    state.id = id;
    deps.onSession?.(id);
  };
  const sizes = sources.map((s) => s.file.size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const xhrs = new Set<XMLHttpRequest>();
  const controller = new AbortController();
  let over = false;
  let done = 0;
  const inflight = new Map<UploadPart, number>();
  const progress = () => done + [...inflight.values()].reduce((a, b) => a + b, 0);

  const stop = (u: GatewayUpdate) => {
    if (over) return;
    over = true;
    controller.abort();
    for (const xhr of xhrs) xhr.abort();
    report(u);
  };

  const run = async () => {
    const held = await openSession(url, transferSpec, sources, state, setId, deps.fetch, controller.signal);
    done = heldTotal(sizes, held, deps.tuning.partSize);
    report({ status: 'running', bytesDone: done });
    const queue = planParts(sizes, held, deps.tuning.partSize);
    const lane = async () => {
      for (let part = queue.shift(); part && !over; part = queue.shift()) {
        const source = sources[part.file];
        if (source) await sendPart(`${url}/${state.id}/files/${part.file}`, part, source.file);
      }
    };
    await Promise.all(Array.from({ length: Math.min(deps.tuning.parallel, Math.max(1, queue.length)) }, lane));
    if (over) return;
    const res = await deps.fetch(`${url}/${state.id}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ files: sizes.map((size) => ({ size })) }),
      signal: controller.signal,
    });
    if (!res.ok) {
      // An ended session (422, 404) cannot be continued: a retry starts a new one.
      if (res.status !== 409) setId(null);
      throw gatewayHttpError(res.status, await res.text(), 'upload');
    }
    setId(null);
    stop({ status: 'completed', bytesDone: total });
  };

  const sendPart = (partUrl: string, part: UploadPart, file: File) =>
    new Promise<void>((resolve, reject) => {
      const xhr = deps.createXhr();
      xhrs.add(xhr);
      inflight.set(part, 0);
      xhr.open('PATCH', partUrl);
      xhr.setRequestHeader('Content-Type', 'application/offset+octet-stream');
      xhr.setRequestHeader('Upload-Offset', String(part.start));
      xhr.upload.onprogress = (e) => {
        inflight.set(part, Math.min(e.loaded, part.end - part.start));
        if (!over) report({ status: 'running', bytesDone: progress() });
      };
      const settle = (error: TransferError | null) => {
        xhrs.delete(xhr);
        inflight.delete(part);
        if (error) reject(error);
        else {
          done += part.end - part.start;
          if (!over) report({ status: 'running', bytesDone: progress() });
          resolve();
        }
      };
      xhr.onload = () => {
        if (xhr.status === 404) setId(null);
        settle(xhr.status > 0 && xhr.status < 400 ? null : gatewayHttpError(xhr.status, String(xhr.responseText ?? ''), 'upload'));
      };
      xhr.onerror = () => settle(LOST);
      xhr.ontimeout = xhr.onerror;
      xhr.onabort = () => settle(LOST);
      xhr.send(file.slice(part.start, part.end));
    });

  run().catch((err: unknown) => {
    if (over) return;
    stop({ status: 'failed', bytesDone: progress(), error: isTransferError(err) ? err : LOST });
  });

  return (how) => {
    if (over) return;
    const id = state.id;
    if (how === 'discard' && id) {
      setId(null);
      // §11.4: the node removes the staged bytes and gives the token back.
      void deps.fetch(`${url}/${id}`, { method: 'DELETE' }).catch(() => undefined);
    }
    stop({ status: 'cancelled', bytesDone: progress() });
  };
}

const LOST: TransferError = {
  code: 'NETWORK_ERROR',
  message:
    'The upload stopped: the HTTP Gateway could not be reached, closed the connection, or a file could not be read (moved or deleted since you chose it). Retry sends only what is missing.',
};

const GONE: TransferError = {
  code: 'NOT_FOUND',
  message: 'The interrupted upload is no longer on the server (it completed, was cancelled or expired): upload the files again.',
};

function isTransferError(err: unknown): err is TransferError {
  return typeof err === 'object' && err !== null && typeof (err as TransferError).code === 'string' && 'message' in err;
}

/** The ranges the node holds per file: none for a new session, what it says for the earlier one. */
async function openSession(
  url: string,
  transferSpec: Record<string, unknown>,
  sources: readonly UploadSource[],
  state: SessionState,
  setId: (id: string | null) => void,
  doFetch: typeof fetch,
  signal: AbortSignal,
): Promise<[number, number][][]> {
  if (state.id) {
    const res = await doFetch(`${url}/${state.id}`, { signal }).catch(() => null);
    if (res?.ok) {
      const body = (await res.json()) as SessionBody;
      const same = body.files.length === sources.length && body.files.every((f, i) => f.size === sources[i]?.file.size);
      if (same) return body.files.map((f) => f.received);
    }
    if (res === null) throw LOST;
    setId(null);
  }
  if (state.resumeOnly) throw GONE;
  const res = await doFetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ transfer_spec: specWithPaths(transferSpec, sources), files: sources.map((s) => ({ size: s.file.size })) }),
    signal,
  }).catch(() => {
    throw LOST;
  });
  if (res.status !== 201) throw gatewayHttpError(res.status, await res.text(), 'upload');
  const body = (await res.json()) as SessionBody;
  setId(body.session_id);
  return body.files.map(() => []);
}
