import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Share, ShareDetail } from '../../../../contract/shares';
import { api } from '../../../lib/api-client';
import { sharesKey } from '../../../lib/query-keys';

/** Whose links: the caller's own, a space's (its managers, admins) or everyone's (admins). */
export type SharesScope = { kind: 'mine' } | { kind: 'space'; spaceId: string } | { kind: 'all' };

export function sharesQueryOptions(scope: SharesScope = { kind: 'mine' }) {
  const query = scope.kind === 'space' ? `?spaceId=${encodeURIComponent(scope.spaceId)}` : scope.kind === 'all' ? '?all=1' : '';
  return queryOptions({
    queryKey: [...sharesKey, 'list', query],
    queryFn: async ({ signal }) => (await api.get<{ shares: Share[] }>(`/api/shares${query}`, { signal })).shares,
  });
}

export function useShares(scope?: SharesScope) {
  return useQuery(sharesQueryOptions(scope));
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
