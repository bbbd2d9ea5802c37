import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { TransferRecord } from '../../../../contract/transfers';
import { api } from '../../../lib/api-client';

export interface AdminTransferFilters {
  userId: string;
  spaceId: string;
  status: string;
  /** `YYYY-MM-DD`, local time; empty for none. */
  from: string;
  to: string;
}

export const ADMIN_TRANSFERS_PAGE_SIZE = 50;

/**
 * One page of everyone's transfers. Paging goes back by `before` (the oldest row's time): the
 * cursor of each page is kept by the page component, so Previous returns to what was seen.
 */
export function adminTransfersQueryOptions(filters: AdminTransferFilters, before: string | null) {
  const params = new URLSearchParams({ all: 'true', limit: String(ADMIN_TRANSFERS_PAGE_SIZE) });
  if (filters.userId) params.set('userId', filters.userId);
  if (filters.spaceId) params.set('spaceId', filters.spaceId);
  if (filters.status) params.set('status', filters.status);
  if (filters.from) params.set('from', new Date(`${filters.from}T00:00:00`).toISOString());
  const end = filters.to ? new Date(`${filters.to}T00:00:00`) : null;
  if (end) end.setDate(end.getDate() + 1);
  const limit = [before, end?.toISOString()].filter((v): v is string => Boolean(v)).sort()[0];
  if (limit) params.set('before', limit);
  return queryOptions({
    queryKey: ['admin', 'transfers', params.toString()],
    queryFn: async ({ signal }) =>
      (await api.get<{ transfers: TransferRecord[] }>(`/api/transfers?${params.toString()}`, { signal })).transfers,
    placeholderData: keepPreviousData,
  });
}

export function useAdminTransfers(filters: AdminTransferFilters, before: string | null) {
  return useQuery(adminTransfersQueryOptions(filters, before));
}
