import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ClientConfig } from '../../../../contract/client-config';
import { api } from '../../../lib/api-client';

/**
 * The deployment's public settings (`GET /api/client-config`, no session): the public page reads
 * whether an SDK URL is configured, to offer IBM Aspera for Desktop as the Files page does.
 */
export function publicClientConfigQueryOptions() {
  return queryOptions({
    queryKey: ['client-config'] as const,
    queryFn: ({ signal }) => api.get<ClientConfig>('/api/client-config', { signal }),
    staleTime: Infinity,
  });
}

export function usePublicClientConfig() {
  return useQuery(publicClientConfigQueryOptions());
}
