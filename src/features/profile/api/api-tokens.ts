import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiToken, CreateApiTokenRequest, CreatedApiToken } from '../../../../contract/api-tokens';
import { api } from '../../../lib/api-client';

export const apiTokensKey = ['profile', 'tokens'] as const;

export function apiTokensQueryOptions() {
  return queryOptions({
    queryKey: apiTokensKey,
    queryFn: async ({ signal }) => (await api.get<{ tokens: ApiToken[] }>('/api/profile/tokens', { signal })).tokens,
  });
}

export function useApiTokens() {
  return useQuery(apiTokensQueryOptions());
}

/** The answer holds the secret: it lives only in the mutation's result, never in the query cache. */
export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateApiTokenRequest) => api.post<CreatedApiToken>('/api/profile/tokens', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiTokensKey }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: ApiToken) => api.delete<null>(`/api/profile/tokens/${encodeURIComponent(token.id)}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: apiTokensKey }),
  });
}
