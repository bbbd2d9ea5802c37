import { queryOptions } from '@tanstack/react-query';
import type { Space } from '../../contract/spaces';
import { api } from './api-client';
import { spacesKey } from './query-keys';

/**
 * The caller's spaces: the files feature lists them, the transfers feature names a transfer's space
 * with them. One query under one key, so both read the same cache.
 */
export async function getSpaces(signal?: AbortSignal): Promise<Space[]> {
  return (await api.get<{ spaces: Space[] }>('/api/spaces', { signal })).spaces;
}

export function spacesQueryOptions() {
  return queryOptions({ queryKey: spacesKey, queryFn: ({ signal }) => getSpaces(signal) });
}
