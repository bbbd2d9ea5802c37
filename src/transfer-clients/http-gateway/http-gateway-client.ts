import { isEnded } from '../../../contract/transfer-status';
import type { TransferClient, TransferClientEvent } from '../transfer-client';
import { createListenerSet } from '../transfer-listeners';
import { TransferClientError } from '../transfer-error';
import { saveBlobWithAnchor, openInHiddenFrame } from './browser-save';
import { expectedSize, withZipWhenNeeded } from './download-spec';
import { runPresignedDownload, runStreamedDownload, type DownloadEnvironment } from './download';
import { offlineError } from './gateway-error';
import { gatewayEndpoint } from './gateway-url';
import { uploadSessionPartMax } from './gateway-info';
import { runUpload, type GatewayUpdate } from './upload';
import { buildUploadForm } from './upload-form';
import { runSessionUpload, type SessionTuning } from './upload-session';
import { fileProgress, watchStall, type Running } from './running-transfer';
import { forgetSession, matchSources, recallSession, rememberSession } from './session-memory';

/**
 * Up to this size a download streams through the page with live progress and is saved from a Blob
 * of its chunks; above it, the browser's download manager takes it (presign), which writes to disk
 * as it goes and resumes. 100 MB: Chromium keeps large Blobs in memory until it pages them out, and
 * 100 MB is a cost every device can take, while most single-document downloads stay under it and
 * keep their in-page progress. (The IBM SDK uses 1 GB, which is too much page memory on a phone.)
 */
export const DEFAULT_IN_BROWSER_DOWNLOAD_LIMIT = 100 * 1000 * 1000;

/**
 * No byte moved for this long while sending or receiving: the connection is dead but the browser
 * has not said so (XHR and fetch have no idle timeout). A minute rides out Wi-Fi handovers and a
 * sleeping laptop lid, and is short enough that a row never looks "running" for nothing.
 */
export const DEFAULT_STALL_TIMEOUT_MS = 60_000;

/**
 * Parts of an upload session (docs/http-gateway.md §11): their size and how many go at once,
 * measured with bench/upload-tuning.ts (docs/performance.md, "Upload sessions in Chromium"): on a
 * quiet machine 32 MiB parts beat 16 MiB in every round (fewer requests, less CPU per GiB in
 * Chromium and the node); 64 MiB did no better and doubles what a lost connection sends again.
 */
export const DEFAULT_SESSION_TUNING: SessionTuning = { partSize: 32 * 1024 * 1024, parallel: 4 };
/**
 * Uploads go through a session from 16 MiB (or one part, if parts are smaller), and up to 500
 * files: under that a single v3 request is as fast and a cut costs little; many small files are one
 * v3 body, where a request per file would be thousands of requests (the 10,000-small-files row).
 */
const SESSION_MIN_BYTES = 16 * 1024 * 1024;
const SESSION_MAX_FILES = 500;

export interface HttpGatewayClientOptions {
  inBrowserDownloadLimit?: number;
  stallTimeoutMs?: number;
  fetch?: typeof fetch;
  createXhr?: () => XMLHttpRequest;
  document?: Document;
  /** Whether the browser has a network (`navigator.onLine`), to name a lost connection as such. */
  isOnline?: () => boolean;
  sessionTuning?: Partial<SessionTuning>;
}

/** Courier's own HTTP Gateway v3 client (docs/http-gateway.md), one transfer per upload/download request. */
export function createHttpGatewayClient(options: HttpGatewayClientOptions = {}): TransferClient {
  const limit = options.inBrowserDownloadLimit ?? DEFAULT_IN_BROWSER_DOWNLOAD_LIMIT;
  const stallMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const createXhr = options.createXhr ?? (() => new XMLHttpRequest());
  const doc = () => options.document ?? document;
  const isOnline = options.isOnline ?? (() => globalThis.navigator?.onLine !== false);
  const tuning = { ...DEFAULT_SESSION_TUNING, ...options.sessionTuning };
  // One /info per gateway per page: whether it offers upload sessions does not change meanwhile.
  const sessionOffers = new Map<string, Promise<number | null>>();
  const env: DownloadEnvironment = {
    fetch: doFetch,
    saveBlob: (blob, name) => saveBlobWithAnchor(doc(), blob, name),
    openDownloadUrl: (url) => openInHiddenFrame(doc(), url),
    now: () => Date.now(),
  };
  const listeners = createListenerSet();
  const transfers = new Map<string, Running>();

  function update(entry: Running, u: GatewayUpdate, bytesTotal: number | null): void {
    // Once ended, an ended transfer stays ended: a late XHR/fetch callback must not revive it.
    if (entry.removed || isEnded(entry.last.status)) return;
    if (entry.stalled && u.status === 'cancelled') {
      const seconds = Math.round(stallMs / 1000);
      u = {
        ...u,
        status: 'failed',
        error: {
          code: 'NETWORK_ERROR',
          message: `The transfer stalled: nothing moved for ${seconds} s. Check your connection and try again.`,
        },
      };
    }
    if (u.error?.code === 'NETWORK_ERROR' && !isOnline()) u = { ...u, error: offlineError(entry.request.direction) };
    if (u.bytesDone !== entry.last.bytesDone || u.status !== entry.last.status) entry.lastActivity = Date.now();
    if (entry.request.direction === 'upload' && u.status === 'running' && bytesTotal !== null && u.bytesDone >= bytesTotal)
      entry.awaitingAnswer = true;
    const last = entry.last;
    if (last.status === u.status && last.bytesDone === u.bytesDone && last.bytesTotal === bytesTotal && !u.error && !u.handedToBrowser)
      return;
    const event: TransferClientEvent = { transferId: entry.request.transferId, status: u.status, bytesDone: u.bytesDone, bytesTotal };
    if (u.error) event.error = { ...u.error };
    const files = fileProgress(entry, event);
    if (files) event.files = files;
    if (u.handedToBrowser) event.handedToBrowser = true;
    entry.last = event;
    if (isEnded(u.status) || u.handedToBrowser) {
      entry.abort = undefined;
      clearInterval(entry.watchdog);
    }
    listeners.emit({ ...event, ...(event.files ? { files: event.files.map((f) => ({ ...f })) } : {}) });
  }

  function run(entry: Running): void {
    const { request } = entry;
    watchStall(entry, stallMs);
    const base = request.gatewayUrl ?? '';
    if (request.direction === 'upload') {
      const sources = request.sources ?? [];
      const fileBytes = sources.reduce((sum, s) => sum + s.file.size, 0);
      update(entry, { status: 'starting', bytesDone: 0 }, fileBytes);
      if (!entry.session && (sources.length > SESSION_MAX_FILES || fileBytes < Math.min(tuning.partSize, SESSION_MIN_BYTES))) {
        runV3Upload(entry);
        return;
      }
      let cancelled = false;
      entry.abort = () => {
        cancelled = true;
        update(entry, { status: 'cancelled', bytesDone: 0 }, fileBytes);
      };
      let offer = sessionOffers.get(base);
      if (!offer) sessionOffers.set(base, (offer = uploadSessionPartMax(base, doFetch)));
      void offer.then((partMax) => {
        if (cancelled || entry.removed) return;
        if (partMax === null) return runV3Upload(entry);
        const session = (entry.session ??= { id: null });
        const deps = {
          fetch: doFetch,
          createXhr,
          tuning: { ...tuning, partSize: Math.min(tuning.partSize, partMax) },
          // Remembered for this tab, so a reload can resume it with the files chosen again.
          onSession: (id: string | null) =>
            id ? rememberSession(request.transferId, base, id, sources) : forgetSession(request.transferId),
        };
        const abort = runSessionUpload(base, request.transferSpec, sources, session, deps, (u) => update(entry, u, fileBytes));
        // A stall keeps the session for Retry; a cancel (or remove) deletes it on the node.
        entry.abort = () => abort(entry.stalled ? 'keep' : 'discard');
      });
      return;
    }
    const spec = withZipWhenNeeded(request.transferSpec);
    const size = expectedSize(spec);
    if (size !== null && size <= limit) {
      const controller = new AbortController();
      entry.abort = () => controller.abort();
      update(entry, { status: 'starting', bytesDone: 0 }, size);
      void runStreamedDownload(base, spec, controller.signal, env, (u, t) => update(entry, u, t));
    } else {
      const controller = new AbortController();
      entry.abort = () => controller.abort();
      void runPresignedDownload(base, spec, controller.signal, env, (u, t) => update(entry, u, t));
    }
  }

  function runV3Upload(entry: Running): void {
    const upload = buildUploadForm(entry.request.transferSpec, entry.request.sources ?? []);
    entry.abort = runUpload(gatewayEndpoint(entry.request.gatewayUrl ?? '', '/v3/upload'), upload, createXhr, (u) =>
      update(entry, u, upload.fileBytes),
    );
  }

  return {
    kind: 'http-gateway',
    // v3 has no pause and no resume (docs/http-gateway.md §8); the per-file list comes from what
    // this client sends or asked for.
    capabilities: { pause: false, resume: false, perFileProgress: true, nativeFilePicking: false },

    async availability() {
      return typeof XMLHttpRequest === 'undefined' && !options.createXhr
        ? { available: false, reason: 'This browser cannot upload files.' }
        : { available: true };
    },

    async start(request) {
      if (!request.gatewayUrl)
        throw new TransferClientError('CLIENT_UNAVAILABLE', 'No HTTP Gateway is configured for this transfer: ask an administrator.');
      if (request.direction === 'upload' && !request.sources?.length)
        throw new TransferClientError('BAD_REQUEST', 'Choose at least one file to upload.');
      const existing = transfers.get(request.transferId);
      if (existing && !isEnded(existing.last.status)) throw new TransferClientError('BAD_REQUEST', 'This transfer is already running.');
      const entry: Running = {
        request,
        last: { transferId: request.transferId, status: 'queued', bytesDone: 0, bytesTotal: null },
        lastActivity: Date.now(),
      };
      transfers.set(request.transferId, entry);
      run(entry);
    },

    async stop(transferId) {
      const entry = transfers.get(transferId);
      if (!entry) throw new TransferClientError('UNKNOWN_TRANSFER', 'This transfer is not running in this page.');
      if (isEnded(entry.last.status)) return;
      if (entry.last.handedToBrowser) {
        throw new TransferClientError('NOT_SUPPORTED', "This download is in your browser's downloads now: cancel it there.");
      }
      entry.abort?.();
    },

    async pause() {
      throw new TransferClientError('NOT_SUPPORTED', 'A transfer through the browser cannot be paused: cancel it, or let it run.');
    },

    // An upload whose session the node holds sends only what is missing (canContinue); v3 cannot
    // resume, so otherwise "resume" restarts from zero with the same spec (the token may have
    // expired by then: the gateway's 401 then says so).
    async resume(transferId, sources) {
      const entry = transfers.get(transferId);
      const remembered = entry ? null : recallSession(transferId);
      if (remembered && sources) {
        const match = matchSources(remembered, sources);
        if ('refused' in match) throw new TransferClientError('FILES_CHANGED', match.refused);
        // After a reload: the session continues with the files chosen again; the spec (and its
        // token) went with the page, and is not needed while the node holds the session.
        const resumed: Running = {
          request: { transferId, direction: 'upload', transferSpec: {}, gatewayUrl: remembered.gatewayUrl, sources: match.sources },
          last: { transferId, status: 'queued', bytesDone: 0, bytesTotal: null },
          lastActivity: Date.now(),
          session: { id: remembered.sessionId, resumeOnly: true },
        };
        transfers.set(transferId, resumed);
        run(resumed);
        return;
      }
      if (!entry) throw new TransferClientError('UNKNOWN_TRANSFER', 'This transfer is not known in this page any more: start it again.');
      if (entry.last.status !== 'failed' && entry.last.status !== 'cancelled') return;
      entry.last = { ...entry.last, status: 'queued' };
      entry.filesKey = undefined;
      run(entry);
    },

    canContinue(transferId) {
      const entry = transfers.get(transferId);
      if (!entry) return recallSession(transferId) !== null;
      return entry.last.status === 'failed' && !!entry.session?.id;
    },

    async remove(transferId) {
      const entry = transfers.get(transferId);
      if (!entry) return forgetSession(transferId);
      entry.removed = true;
      clearInterval(entry.watchdog);
      transfers.delete(transferId);
      entry.abort?.();
    },

    subscribe: (listener) => listeners.add(listener),
  };
}
