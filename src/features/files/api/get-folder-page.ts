import { queryOptions } from '@tanstack/react-query';
import type { FOLDER_SORTS, FolderPage } from '../../../../contract/files';
import { api } from '../../../lib/api-client';
import { spaceFilesKey } from '../../../lib/query-keys';

export type FolderSort = (typeof FOLDER_SORTS)[number];

/**
 * Rows per request. The API allows 1000; 500 keeps one answer quick on a slow node while a
 * 100,000-entry folder still needs only a few requests for any scroll position.
 */
export const FOLDER_PAGE_SIZE = 500;

export interface FolderPageParams {
  spaceId: string;
  path: string;
  sort: FolderSort;
  skip: number;
  /** Only entries whose name contains this (ignoring case); '' for all. */
  filter?: string;
}

export function getFolderPage(params: FolderPageParams, signal?: AbortSignal): Promise<FolderPage> {
  const query = new URLSearchParams({
    path: params.path,
    skip: String(params.skip),
    count: String(FOLDER_PAGE_SIZE),
    sort: params.sort,
  });
  if (params.filter) query.set('filter', params.filter);
  return api.get<FolderPage>(`/api/spaces/${encodeURIComponent(params.spaceId)}/files?${query.toString()}`, { signal });
}

export function folderKey(spaceId: string, path: string) {
  return [...spaceFilesKey(spaceId), path] as const;
}

export function folderPageQueryOptions({ spaceId, path, sort, skip, filter = '' }: FolderPageParams) {
  return queryOptions({
    queryKey: [...folderKey(spaceId, path), sort, skip, filter] as const,
    queryFn: ({ signal }) => getFolderPage({ spaceId, path, sort, skip, filter }, signal),
  });
}
