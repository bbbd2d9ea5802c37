import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Share, ShareDetail } from '../../../../contract/shares';
import { api } from '../../../lib/api-client';
import { sharesKey } from '../../../lib/query-keys';

export function sharesQueryOptions() {
  return queryOptions({
    queryKey: sharesKey,
    queryFn: async ({ signal }) => (await api.get<{ shares: Share[] }>('/api/shares', { signal })).shares,
  });
}

export function useShares() {
  return useQuery(sharesQueryOptions());
}

export function shareDetailQueryOptions(id: string) {
  return queryOptions({
    queryKey: [...sharesKey, id],
    queryFn: ({ signal }) => api.get<ShareDetail>(`/api/shares/${encodeURIComponent(id)}`, { signal }),
  });
}

export function useShareDetail(id: string | null) {
  return useQuery({ ...shareDetailQueryOptions(id ?? ''), enabled: id !== null });
}
