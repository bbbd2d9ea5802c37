import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MailStatusResponse } from '../../../../contract/notifications';
import { api } from '../../../lib/api-client';

export const adminMailKey = ['admin', 'mail'] as const;

export function adminMailQueryOptions() {
  return queryOptions({
    queryKey: adminMailKey,
    queryFn: ({ signal }) => api.get<MailStatusResponse>('/api/admin/mail', { signal }),
  });
}

export function useAdminMail() {
  return useQuery(adminMailQueryOptions());
}

/** Puts a failed message back in the queue. */
export function useRetryMail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (mailId: string) => api.post<null>(`/api/admin/mail/${encodeURIComponent(mailId)}/retry`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminMailKey }),
  });
}

/** Sends the admin a test notice: in the bell, and by mail to `email` or their own address. */
export function useSendTestMail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (email: string | null) => api.post<{ email: string | null }>('/api/admin/mail/test', email ? { email } : {}),
    // The bell's query too: the test notice is in it.
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
