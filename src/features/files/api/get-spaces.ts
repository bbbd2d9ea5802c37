import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Space } from '../../../../contract/spaces';
import { api } from '../../../lib/api-client';
import { spaceKey } from '../../../lib/query-keys';
import { spacesQueryOptions } from '../../../lib/spaces-query';

export { getSpaces, spacesQueryOptions } from '../../../lib/spaces-query';

export function useSpaces() {
  return useQuery(spacesQueryOptions());
}

export function getSpace(spaceId: string, signal?: AbortSignal): Promise<Space> {
  return api.get<Space>(`/api/spaces/${encodeURIComponent(spaceId)}`, { signal });
}

export function spaceQueryOptions(spaceId: string) {
  return queryOptions({ queryKey: spaceKey(spaceId), queryFn: ({ signal }) => getSpace(spaceId, signal) });
}

export function useSpace(spaceId: string) {
  return useQuery(spaceQueryOptions(spaceId));
}
