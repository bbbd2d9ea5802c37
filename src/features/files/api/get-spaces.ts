import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Space } from '../../../../contract/spaces';
import { api } from '../../../lib/api-client';
import { spaceKey, spacesKey } from '../../../lib/query-keys';

export async function getSpaces(signal?: AbortSignal): Promise<Space[]> {
  return (await api.get<{ spaces: Space[] }>('/api/spaces', { signal })).spaces;
}

export function spacesQueryOptions() {
  return queryOptions({ queryKey: spacesKey, queryFn: ({ signal }) => getSpaces(signal) });
}

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
