import { queryOptions, useQuery } from '@tanstack/react-query';
import type { FolderPage } from '../../../../contract/files';
import { api } from '../../../lib/api-client';
import { spaceFilesKey } from '../../../lib/query-keys';

// One page of the picker: 1,000 names (the API's most) is more folders than a person scrolls through.
const PICKER_COUNT = 1000;

/** The folders directly in `path` of a space, by name, for the Copy/Move picker. */
export async function getSubfolders(spaceId: string, path: string, signal?: AbortSignal): Promise<string[]> {
  const query = new URLSearchParams({ path, skip: '0', count: String(PICKER_COUNT), sort: 'type' });
  const page = await api.get<FolderPage>(`/api/spaces/${encodeURIComponent(spaceId)}/files?${query.toString()}`, { signal });
  return page.items
    .filter((item) => item.type === 'folder')
    .map((item) => item.name)
    .sort((a, b) => a.localeCompare(b));
}

export function subfoldersQueryOptions(spaceId: string, path: string) {
  return queryOptions({
    queryKey: [...spaceFilesKey(spaceId), path, 'subfolders'] as const,
    queryFn: ({ signal }) => getSubfolders(spaceId, path, signal),
    enabled: spaceId !== '',
  });
}

export function useSubfolders(spaceId: string, path: string) {
  return useQuery(subfoldersQueryOptions(spaceId, path));
}
