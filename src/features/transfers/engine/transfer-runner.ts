import type { QueryClient } from '@tanstack/react-query';
import type { TransferRecord } from '../../../../contract/transfers';
import type { TransferClient, UploadSource } from '../../../transfer-clients';
import { isEnded } from '../lib/display-status';
import { authorize } from './authorize';
import { cancel, remove } from './cancel';
import { createClientEventHandler } from './client-events';
import { createDesktopSlot, type DesktopSlot } from './desktop-slot';
import type { EngineState } from './engine-state';
import { launch } from './launch';
import { refreshAfter, reportEnd } from './report';
import { reportPageClosed } from './page-closed';
import { canPause, pause, resume } from './pause';
import { canRetry, retry, retryKind } from './retry';
import type { DownloadInput, TransferStart, UploadInput } from './transfer-start';

/**
 * The transfer engine's one face: authorize (authorize.ts), choose a client and launch (launch.ts),
 * follow the clients' events (client-events.ts), report (report.ts), cancel and remove (cancel.ts),
 * retry (retry.ts). Components only read the store and call these actions, through
 * TransferEngineProvider; the gateway carries what Desktop (once in `desktop`) does not.
 */
export function createTransferRunner(queryClient: QueryClient, gateway: TransferClient, desktop: DesktopSlot = createDesktopSlot()) {
  const engine: EngineState = { queryClient, gateway, desktop, started: new Map(), desktopBySpace: new Map(), retrying: new Set() };
  const onEvent = createClientEventHandler(engine);
  gateway.subscribe(onEvent);
  // Desktop's events feed the same handler, once its client arrives.
  desktop.subscribe(() => desktop.current()?.subscribe(onEvent));

  async function startTransfer(start: TransferStart): Promise<void> {
    await launch(engine, onEvent, await authorize(start), start);
  }

  return {
    startUpload: (input: UploadInput): Promise<void> => startTransfer({ direction: 'upload', input }),
    startDownload: (input: DownloadInput): Promise<void> => startTransfer({ direction: 'download', input }),

    /** Desktop's client, once the SDK is configured and loaded. */
    desktop,

    /** False when this space's node does not take Desktop transfers; undefined until a transfer tells. */
    desktopAllowed: (spaceId: string): boolean | undefined => engine.desktopBySpace.get(spaceId),

    cancel: (record: TransferRecord): Promise<void> => cancel(engine, record),
    /** Whether the client carrying it pauses and resumes (`capabilities.pause`). */
    canPause: (record: TransferRecord): boolean => canPause(engine, record),
    pause: (record: TransferRecord): Promise<void> => pause(engine, record),
    resume: (record: TransferRecord): Promise<void> => resume(engine, record).then(() => undefined),
    canRetry: (record: TransferRecord): boolean => canRetry(engine, record),
    /** What Retry will do: resume, start again from the beginning, or ask for the files again. */
    retryKind: (record: TransferRecord) => retryKind(engine, record),
    /** `sources`: the files chosen again for an upload this page no longer holds. */
    retry: (record: TransferRecord, sources?: UploadSource[]): Promise<void> => retry(engine, onEvent, record, sources),
    /** The page is going: the uploads it carries are reported as interrupted by it. */
    pageClosed: (): void => reportPageClosed(engine),
    remove: (record: TransferRecord): void => remove(engine, record),

    /** A record from the server's event stream; `previous` is what the list held before it. */
    onServerRecord(record: TransferRecord, previous: TransferRecord | undefined): void {
      if (!isEnded(record.status) || (previous && isEnded(previous.status))) return;
      const started = engine.started.get(record.id);
      if (started) {
        const error = record.error ? { error: { code: 'TRANSFER_FAILED', message: record.error } } : {};
        if (!started.ended) reportEnd(queryClient, record.id, started, { status: record.status, ...error }, false);
        return;
      }
      // Started before a reload or elsewhere: its folder may show new files now.
      refreshAfter(queryClient, record.spaceId, record.direction);
    },
  };
}

export type TransferRunner = ReturnType<typeof createTransferRunner>;
