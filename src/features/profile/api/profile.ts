import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProfileSession } from '../../../../contract/profile';
import type { User } from '../../../../contract/session';
import { api } from '../../../lib/api-client';
import { sessionKey } from '../../../lib/query-keys';

export const profileSessionsKey = ['profile', 'sessions'] as const;

export function profileSessionsQueryOptions() {
  return queryOptions({
    queryKey: profileSessionsKey,
    queryFn: async ({ signal }) => (await api.get<{ sessions: ProfileSession[] }>('/api/profile/sessions', { signal })).sessions,
  });
}

export function useProfileSessions() {
  return useQuery(profileSessionsQueryOptions());
}

/** The new name shows in the user menu, which reads the session. */
export function useUpdateDisplayName() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (displayName: string) => api.patch<User>('/api/profile', { displayName }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKey }),
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) => api.post<{ ended: number }>('/api/profile/password', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: profileSessionsKey }),
  });
}

export function useEndSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<null>(`/api/profile/sessions/${encodeURIComponent(id)}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: profileSessionsKey }),
  });
}

export function useEndOtherSessions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<{ ended: number }>('/api/profile/sessions'),
    onSettled: () => queryClient.invalidateQueries({ queryKey: profileSessionsKey }),
  });
}
