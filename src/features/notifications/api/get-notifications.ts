import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { NotificationsPage } from '../../../../contract/notifications';
import { api } from '../../../lib/api-client';

export const notificationsKey = ['notifications'] as const;

// Every 30 s while the tab is visible, and on coming back to it: a notice (a download of one's
// link, a submission) is worth knowing within the minute, and each poll is one indexed count and
// one page of at most `limit` rows, which the portal does not count as use of the session.
const POLL_MS = 30_000;

export function notificationsQueryOptions(limit: number) {
  return queryOptions({
    queryKey: [...notificationsKey, limit],
    queryFn: ({ signal }) => api.get<NotificationsPage>(`/api/notifications?limit=${limit}`, { signal }),
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
    placeholderData: keepPreviousData,
  });
}

export function useNotifications(limit: number) {
  return useQuery(notificationsQueryOptions(limit));
}
