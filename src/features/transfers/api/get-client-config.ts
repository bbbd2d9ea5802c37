import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ClientConfig } from '../../../../contract/client-config';
import { api } from '../../../lib/api-client';

export const clientConfigKey = ['client-config'] as const;

export function getClientConfig(signal?: AbortSignal): Promise<ClientConfig> {
  return api.get<ClientConfig>('/api/client-config', { signal });
}

export function clientConfigQueryOptions() {
  return queryOptions({
    queryKey: clientConfigKey,
    queryFn: ({ signal }) => getClientConfig(signal),
    // The deployment's settings change only with a restart of the portal: once per page is enough.
    staleTime: Infinity,
  });
}

export function useClientConfig() {
  return useQuery(clientConfigQueryOptions());
}
