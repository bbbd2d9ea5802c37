import type { QueryClient } from '@tanstack/react-query';
import type { CreateTransferResponse, TransferRecord } from '../../../../contract/transfers';
import { ApiError } from '../../../lib/api-client';
import { spaceFilesKey, transfersKey } from '../../../lib/query-keys';
import {
  chooseClient,
  type AsperaSdkClient,
  type ClientChoice,
  type LocalItem,
  type TransferClient,
  type TransferClientEvent,
  type UploadSource,
} from '../../../transfer-clients';
import { createTransfer, reportTransfer, type NewTransfer } from '../api/create-transfer';
import { upsertTransferRecord } from '../api/get-transfers';
import { useTransfersStore } from '../stores/transfers-store';
import { isEnded } from './display-status';

export interface UploadInput {
  spaceId: string;
  folder: string;
  sources: UploadSource[];
  emptyFolders: string[];
  /** Picked through Desktop's own dialogs: real local paths, carried by Desktop only. */
  localItems?: LocalItem[];
  /**
   * Whether the browser can read every source now: null, or why not (naming them). Asked when a
   * gateway upload fails, so a file removed or changed since the pick is named, rather than the
   * failure looking like a lost network (Chromium's XHR reports both the same way).
   */
  checkReadable?: () => Promise<string | null>;
}

export interface DownloadInput {
  spaceId: string;
  paths: string[];
}

type Input = { direction: 'upload'; input: UploadInput } | { direction: 'download'; input: DownloadInput };

/** What this page knows about a transfer it started, beyond the server's record. */
interface Context {
  spaceId: string;
  title: string;
  start: Input;
  /** The client carrying it; null until chosen. */
  client: TransferClient | null;
  reportedRunning: boolean;
  /** Last 25% step announced to screen readers. */
  quarter: number;
  ended: boolean;
}

/** How long a failure after bytes moved waits for the readability check to name a file. */
const EXPLAIN_WAIT_MS = 3_000;

const VERB = { upload: 'uploaded', download: 'downloaded' };

/**
 * The one headless adapter from transfer-client events to state: live progress into the zustand
 * store, outcomes the node cannot see back to the portal (PATCH), ends into query invalidation,
 * toasts and screen-reader announcements. Components only read the store and call these actions.
 */
export function createTransferRunner(queryClient: QueryClient, gateway: TransferClient) {
  const store = useTransfersStore.getState;
  const contexts = new Map<string, Context>();
  let desktop: AsperaSdkClient | undefined;
  // Whether the portal offered Desktop for the last transfer of each space (it depends on the
  // space's node, which the SPA is not told otherwise): Desktop's dialogs are offered accordingly.
  const desktopBySpace = new Map<string, boolean>();
  /** Failed or cancelled transfers whose retry is being authorized: a second click starts nothing more. */
  const retrying = new Set<string>();
  /** The client that carries a transfer: the one that started it here, else the recorded one. */
  const clientOf = (record: Pick<TransferRecord, 'id' | 'client'>): TransferClient =>
    contexts.get(record.id)?.client ?? (record.client === 'desktop' && desktop ? desktop : gateway);

  const refreshAfter = (spaceId: string, direction: 'upload' | 'download') => {
    if (direction === 'upload') void queryClient.invalidateQueries({ queryKey: spaceFilesKey(spaceId) });
    void queryClient.invalidateQueries({ queryKey: transfersKey });
  };

  const report = (id: string, body: Parameters<typeof reportTransfer>[1]) =>
    reportTransfer(id, body).then(
      (record) => upsertTransferRecord(queryClient, record),
      () => undefined, // the server learns the outcome from the node anyway
    );

  function ended(id: string, ctx: Context, event: Pick<TransferClientEvent, 'status' | 'error'>, fromClient: boolean) {
    ctx.ended = true;
    const { direction } = ctx.start;
    if (event.status === 'completed') {
      store().announce(`${ctx.title}: ${VERB[direction]}.`);
      store().pushToast({ kind: 'success', title: direction === 'upload' ? 'Upload complete' : 'Download complete', subtitle: ctx.title });
    } else if (event.status === 'failed') {
      const message = event.error?.message ?? 'The transfer failed.';
      store().announce(`${ctx.title}: failed. ${message}`);
      store().pushToast({ kind: 'error', title: direction === 'upload' ? 'Upload failed' : 'Download failed', subtitle: `${ctx.title}: ${message}` });
      if (fromClient) void report(id, { status: 'failed', error: message });
    } else if (event.status === 'cancelled') {
      store().announce(`${ctx.title}: cancelled.`);
      if (fromClient) void report(id, { status: 'cancelled' });
    }
    refreshAfter(ctx.spaceId, direction);
  }

  /**
   * A gateway upload that failed may have met a file the browser can no longer read: the check
   * names it. Chromium opens every file before it sends a byte, so a failure with nothing sent
   * waits for the whole check; one after bytes moved is most likely the network, and waits briefly.
   */
  async function explainFailure(event: TransferClientEvent, check: () => Promise<string | null>): Promise<TransferClientEvent> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), EXPLAIN_WAIT_MS)));
    const reason = await (event.bytesDone === 0 ? check() : Promise.race([check(), timeout])).catch(() => null);
    clearTimeout(timer);
    return reason ? { ...event, error: { code: 'FILE_UNREADABLE', message: reason } } : event;
  }

  function onEvent(event: TransferClientEvent) {
    const ctx = contexts.get(event.transferId);
    const check = ctx && !ctx.ended && ctx.start.direction === 'upload' && ctx.client === gateway ? ctx.start.input.checkReadable : undefined;
    if (event.status === 'failed' && check) void explainFailure(event, check).then(applyEvent);
    else applyEvent(event);
  }

  function applyEvent(event: TransferClientEvent) {
    store().apply(event);
    const ctx = contexts.get(event.transferId);
    if (!ctx || ctx.ended) return;
    if (event.status === 'running' && !ctx.reportedRunning) {
      ctx.reportedRunning = true;
      void report(event.transferId, { status: 'running', client: ctx.client?.kind ?? gateway.kind });
    }
    if (event.status === 'running' && event.bytesTotal) {
      // Every 25%: often enough to follow, rarely enough not to talk over everything else.
      const quarter = Math.floor((event.bytesDone / event.bytesTotal) * 4);
      if (quarter > ctx.quarter && quarter < 4) {
        ctx.quarter = quarter;
        store().announce(`${ctx.title}: ${quarter * 25}% ${VERB[ctx.start.direction]}.`);
      }
    }
    if (isEnded(event.status)) ended(event.transferId, ctx, event, true);
  }
  gateway.subscribe(onEvent);

  /** Out of this page's list (the portal keeps the record) and out of its client. */
  function remove(record: TransferRecord): void {
    void clientOf(record).remove(record.id).catch(() => undefined);
    contexts.delete(record.id);
    store().forget(record.id);
    store().remove(record.id);
  }

  /**
   * Which client carries this transfer: Desktop when it runs, the portal allows it and the person
   * did not pick the browser; else the gateway. Files read by the browser (a browser drop or pick)
   * have no local path Desktop could read, so only the gateway can send them.
   */
  function choose(response: CreateTransferResponse, start: Input): ClientChoice | { kind: null; reason: string } {
    const { desktop: availability, preference } = store();
    const choice = chooseClient({
      allowed: response.clients,
      ...(desktop && availability ? { desktop: availability } : {}),
      ...(preference === 'auto' ? {} : { override: preference }),
    });
    if (start.direction !== 'upload' || choice.kind === null) return choice;
    const local = Boolean(start.input.localItems?.length);
    if (local && choice.kind !== 'desktop') {
      return {
        kind: null,
        reason: desktopBySpace.get(response.transfer.spaceId) === false
          ? "This space's server takes uploads through the browser only: choose the files again, the browser's dialog will open."
          : 'These files were picked through IBM Aspera for Desktop, which cannot carry them now: choose them again.',
      };
    }
    if (!local && choice.kind === 'desktop') {
      const gatewayUrl = response.clients.find((c) => c.type === 'http-gateway')?.url;
      if (!gatewayUrl) return { kind: null, reason: 'Files from the browser need the HTTP Gateway, which this server does not offer: use "Upload files" with IBM Aspera for Desktop.' };
      return { kind: 'http-gateway', gatewayUrl, reason: 'Files dropped or picked in the browser go through the browser (HTTP Gateway).', overridden: false };
    }
    return choice;
  }

  async function launch(response: CreateTransferResponse, start: Input) {
    const { transfer } = response;
    desktopBySpace.set(transfer.spaceId, response.clients.some((c) => c.type === 'desktop'));
    upsertTransferRecord(queryClient, transfer);
    const ctx: Context = { spaceId: transfer.spaceId, title: transfer.title, start, client: null, reportedRunning: false, quarter: 0, ended: false };
    contexts.set(transfer.id, ctx);
    const fail = (message: string, code = 'CLIENT_UNAVAILABLE') =>
      onEvent({ transferId: transfer.id, status: 'failed', bytesDone: 0, bytesTotal: transfer.bytesExpected, error: { code, message } });
    store().apply({ transferId: transfer.id, status: 'queued', bytesDone: 0, bytesTotal: transfer.bytesExpected });
    const choice = choose(response, start);
    if (choice.kind === null) {
      fail(choice.reason);
      return;
    }
    const client = choice.kind === 'desktop' && desktop ? desktop : gateway;
    ctx.client = client;
    store().setCarrier(transfer.id, { kind: client.kind, reason: choice.reason });
    const upload = start.direction === 'upload' ? start.input : undefined;
    try {
      await client.start({
        transferId: transfer.id,
        direction: transfer.direction,
        transferSpec: response.transferSpec,
        ...(choice.kind === 'http-gateway' && choice.gatewayUrl ? { gatewayUrl: choice.gatewayUrl } : {}),
        ...(upload && client === gateway ? { sources: upload.sources } : {}),
        ...(upload?.localItems?.length ? { localPaths: upload.localItems.map((item) => ({ source: item.localPath, destination: item.name })) } : {}),
      });
    } catch (error) {
      const e = error as { code?: string; message?: string };
      fail(e.message ?? 'The transfer could not start.', e.code);
    }
  }

  /** Asks the portal for a new authorization (a spec with a fresh token) for these files or paths. */
  function authorize(start: Input): Promise<CreateTransferResponse> {
    if (start.direction === 'download') return createTransfer({ spaceId: start.input.spaceId, direction: 'download', paths: start.input.paths });
    const { input } = start;
    const request: NewTransfer = {
      spaceId: input.spaceId,
      direction: 'upload',
      folder: input.folder,
      files: input.localItems?.length
        ? input.localItems.map((item) => ({ path: item.name, size: item.size }))
        : input.sources.map((s) => ({ path: s.path, size: s.file.size })),
      emptyFolders: input.emptyFolders,
    };
    return createTransfer(request);
  }

  async function startUpload(input: UploadInput): Promise<void> {
    const start: Input = { direction: 'upload', input };
    await launch(await authorize(start), start);
  }

  async function startDownload(input: DownloadInput): Promise<void> {
    const start: Input = { direction: 'download', input };
    await launch(await authorize(start), start);
  }

  return {
    startUpload,
    startDownload,

    /** False when this space's node does not take Desktop transfers; undefined until a transfer tells. */
    desktopAllowed: (spaceId: string): boolean | undefined => desktopBySpace.get(spaceId),

    /** Desktop's client, once the SDK is configured and loaded: its events feed the same store. */
    attachDesktop(client: AsperaSdkClient): void {
      if (desktop) return;
      desktop = client;
      client.subscribe(onEvent);
    },

    async cancel(record: TransferRecord): Promise<void> {
      try {
        await clientOf(record).stop(record.id);
      } catch (error) {
        const code = (error as { code?: string }).code;
        // Not running in this page (started before a reload, or on another device): the portal
        // cancels it on the node.
        if (code === 'UNKNOWN_TRANSFER') {
          store().apply({ transferId: record.id, status: 'cancelled', bytesDone: record.bytesTransferred, bytesTotal: record.bytesExpected });
          await report(record.id, { status: 'cancelled' });
          refreshAfter(record.spaceId, record.direction);
          return;
        }
        store().pushToast({ kind: 'error', title: 'Not cancelled', subtitle: (error as Error).message });
      }
    },

    canRetry(record: TransferRecord): boolean {
      return record.direction === 'download' || contexts.get(record.id)?.start.direction === 'upload';
    },

    /**
     * A new transfer with the same files (or paths), under a new authorization: the gateway cannot
     * resume, and the old token may be spent. The new row takes the old one's place in the list.
     */
    async retry(record: TransferRecord): Promise<void> {
      if (retrying.has(record.id)) return;
      retrying.add(record.id);
      const start: Input = contexts.get(record.id)?.start ?? { direction: 'download', input: { spaceId: record.spaceId, paths: record.paths } };
      try {
        const response = await authorize(start);
        remove(record);
        await launch(response, start);
      } catch (error) {
        const subtitle = error instanceof ApiError ? `${record.title}: ${error.message}` : record.title;
        store().pushToast({ kind: 'error', title: 'Could not start again', subtitle });
      } finally {
        retrying.delete(record.id);
      }
    },

    remove,

    /** A record from the server's event stream; `previous` is what the list held before it. */
    onServerRecord(record: TransferRecord, previous: TransferRecord | undefined): void {
      if (!isEnded(record.status) || (previous && isEnded(previous.status))) return;
      const ctx = contexts.get(record.id);
      if (ctx) {
        if (!ctx.ended) ended(record.id, ctx, { status: record.status, ...(record.error ? { error: { code: 'TRANSFER_FAILED', message: record.error } } : {}) }, false);
        return;
      }
      // Started before a reload or elsewhere: its folder may show new files now.
      refreshAfter(record.spaceId, record.direction);
    },
  };
}

export type TransferRunner = ReturnType<typeof createTransferRunner>;
