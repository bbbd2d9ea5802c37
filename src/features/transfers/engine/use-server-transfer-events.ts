import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { TransferRecord } from '../../../../contract/transfers';
import { transfersKey } from '../../../lib/query-keys';
import { upsertTransferRecord } from '../api/get-transfers';
import type { TransferRunner } from './transfer-runner';

/**
 * Follows `GET /api/transfers/events` (server-sent events): each `transfer` event is a record,
 * merged into the transfers list and shown to the runner. EventSource reconnects by itself (the
 * server asks for 3 s); after a reconnect the list is refetched, since events sent meanwhile are lost.
 */
export function useServerTransferEvents(runner: TransferRunner): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const source = new EventSource('/api/transfers/events');
    let opened = false;
    source.addEventListener('open', () => {
      if (opened) void queryClient.invalidateQueries({ queryKey: transfersKey });
      opened = true;
    });
    source.addEventListener('transfer', (event) => {
      let record: TransferRecord;
      try {
        record = JSON.parse((event as MessageEvent<string>).data) as TransferRecord;
      } catch {
        return;
      }
      const previous = upsertTransferRecord(queryClient, record);
      runner.onServerRecord(record, previous);
    });
    return () => source.close();
  }, [queryClient, runner]);
}
