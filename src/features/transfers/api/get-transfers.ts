import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import type { TransferRecord } from '../../../../contract/transfers';
import { api } from '../../../lib/api-client';
import { transfersKey } from '../../../lib/query-keys';

// The newest 200: what a person scrolls through; older history is for the admin pages.
const LIMIT = 200;

export async function getTransfers(signal?: AbortSignal): Promise<TransferRecord[]> {
  return (await api.get<{ transfers: TransferRecord[] }>(`/api/transfers?limit=${LIMIT}`, { signal })).transfers;
}

export function transfersQueryOptions() {
  return queryOptions({
    queryKey: transfersKey,
    queryFn: ({ signal }) => getTransfers(signal),
    // The event stream keeps this fresh; refetching on focus catches up after a sleep.
    staleTime: 60_000,
  });
}

export function useTransfers() {
  return useQuery(transfersQueryOptions());
}

/** A record the server sent (creation answer or event) goes into the list it belongs to. */
export function upsertTransferRecord(queryClient: QueryClient, record: TransferRecord): TransferRecord | undefined {
  let previous: TransferRecord | undefined;
  queryClient.setQueryData<TransferRecord[]>(transfersKey, (list) => {
    if (!list) return list;
    const i = list.findIndex((t) => t.id === record.id);
    if (i === -1) return [record, ...list];
    previous = list[i];
    const next = list.slice();
    next[i] = record;
    return next;
  });
  return previous;
}
