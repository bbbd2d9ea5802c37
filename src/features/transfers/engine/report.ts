import type { QueryClient } from '@tanstack/react-query';
import { spaceFilesKey, transfersKey } from '../../../lib/query-keys';
import type { TransferClientEvent } from '../../../transfer-clients';
import { reportTransfer } from '../api/create-transfer';
import { upsertTransferRecord } from '../api/get-transfers';
import { store, type StartedTransfer } from './engine-state';

export const VERB = { upload: 'uploaded', download: 'downloaded' };

/** A transfer ended or was refused: the queries it touched are fetched again. */
export function refreshAfter(queryClient: QueryClient, spaceId: string | null, direction: 'upload' | 'download'): void {
  // A package's transfer (spaceId null) touches no space's listing.
  if (direction === 'upload' && spaceId !== null) void queryClient.invalidateQueries({ queryKey: spaceFilesKey(spaceId) });
  void queryClient.invalidateQueries({ queryKey: transfersKey });
}

/** Tells the portal what only the browser saw (PATCH); its answer replaces the record in the list. */
export function report(queryClient: QueryClient, id: string, body: Parameters<typeof reportTransfer>[1]): Promise<void> {
  return reportTransfer(id, body).then(
    (record) => void upsertTransferRecord(queryClient, record),
    () => undefined, // the server learns the outcome from the node anyway
  );
}

/**
 * The end of a transfer this page started, told once: to the person (toast and screen reader), to
 * the portal when the client saw it first, and to the cache.
 */
export function reportEnd(
  queryClient: QueryClient,
  id: string,
  started: StartedTransfer,
  event: Pick<TransferClientEvent, 'status' | 'error'>,
  fromClient: boolean,
): void {
  started.ended = true;
  const { direction } = started.start;
  if (event.status === 'completed') {
    store().announce(`${started.title}: ${VERB[direction]}.`);
    store().pushToast({
      kind: 'success',
      title: direction === 'upload' ? 'Upload complete' : 'Download complete',
      subtitle: started.title,
    });
  } else if (event.status === 'failed') {
    const message = event.error?.message ?? 'The transfer failed.';
    store().announce(`${started.title}: failed. ${message}`);
    store().pushToast({
      kind: 'error',
      title: direction === 'upload' ? 'Upload failed' : 'Download failed',
      subtitle: `${started.title}: ${message}`,
    });
    if (fromClient) void report(queryClient, id, { status: 'failed', error: message });
  } else if (event.status === 'cancelled') {
    store().announce(`${started.title}: cancelled.`);
    if (fromClient) void report(queryClient, id, { status: 'cancelled' });
  }
  refreshAfter(queryClient, started.spaceId, direction);
}
