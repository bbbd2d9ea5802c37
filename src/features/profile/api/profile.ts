import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Profile, ProfileSession, UpdateProfileRequest } from '../../../../contract/profile';
import type { User } from '../../../../contract/session';
import { api } from '../../../lib/api-client';
import { sessionKey } from '../../../lib/query-keys';

export const profileSessionsKey = ['profile', 'sessions'] as const;
export const profileKey = ['profile', 'details'] as const;

export function useProfile() {
  return useQuery({ queryKey: profileKey, queryFn: ({ signal }) => api.get<Profile>('/api/profile', { signal }) });
}

export function profileSessionsQueryOptions() {
  return queryOptions({
    queryKey: profileSessionsKey,
    queryFn: async ({ signal }) => (await api.get<{ sessions: ProfileSession[] }>('/api/profile/sessions', { signal })).sessions,
  });
}

export function useProfileSessions() {
  return useQuery(profileSessionsQueryOptions());
}

/** A new name shows in the user menu, which reads the session. */
export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: UpdateProfileRequest) => api.patch<User>('/api/profile', changes),
    onSuccess: () =>
      Promise.all([queryClient.invalidateQueries({ queryKey: sessionKey }), queryClient.invalidateQueries({ queryKey: profileKey })]),
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
