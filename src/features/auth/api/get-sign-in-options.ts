import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ClientConfig } from '../../../../contract/client-config';
import { api } from '../../../lib/api-client';

/** The deployment's public settings; the login page reads whether an identity provider is offered. */
export function signInOptionsQueryOptions() {
  return queryOptions({
    queryKey: ['client-config'] as const,
    queryFn: ({ signal }) => api.get<ClientConfig>('/api/client-config', { signal }),
    staleTime: Infinity,
  });
}

export function useSignInOptions() {
  return useQuery(signInOptionsQueryOptions());
}
