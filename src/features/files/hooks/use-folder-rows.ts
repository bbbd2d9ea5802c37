import { useQueries, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type { FileEntry } from '../../../../contract/files';
import { FOLDER_PAGE_SIZE, folderPageQueryOptions } from '../api/get-folder-page';
import { toApiSort, type SortState } from '../lib/folder-sort';

/**
 * The rows of one folder as pages of the API, fetched only for the rows on screen: the table
 * asks for the visible range, and a 100,000-entry folder costs a few requests, not 100.
 */
export function useFolderRows(spaceId: string, path: string, sort: SortState, visible: { start: number; end: number }, filter = '') {
  const { apiSort, reversed } = toApiSort(sort);
  const params = { spaceId, path, sort: apiSort, filter };
  const firstPage = useQuery(folderPageQueryOptions({ ...params, skip: 0 }));
  const totalCount = firstPage.data?.totalCount ?? null;

  const toApiIndex = useCallback(
    (index: number) => (reversed && totalCount !== null ? totalCount - 1 - index : index),
    [reversed, totalCount],
  );

  const pageNumbers = useMemo(() => {
    if (totalCount === null || totalCount === 0) return [];
    const a = toApiIndex(Math.max(0, visible.start));
    const b = toApiIndex(Math.min(totalCount - 1, visible.end));
    const first = Math.floor(Math.min(a, b) / FOLDER_PAGE_SIZE);
    const last = Math.floor(Math.max(a, b) / FOLDER_PAGE_SIZE);
    const pages: number[] = [];
    for (let p = Math.max(first, 1); p <= last; p += 1) pages.push(p);
    return pages;
  }, [totalCount, toApiIndex, visible.start, visible.end]);

  const pages = useQueries({
    queries: pageNumbers.map((p) => folderPageQueryOptions({ ...params, skip: p * FOLDER_PAGE_SIZE })),
  });

  // A few pages at most: rebuilt each render, no memo needed.
  const byPage = new Map<number, FileEntry[]>();
  if (firstPage.data) byPage.set(0, firstPage.data.items);
  pageNumbers.forEach((p, i) => {
    const data = pages[i]?.data;
    if (data) byPage.set(p, data.items);
  });
  const rowAt = (index: number): FileEntry | undefined => {
    const apiIndex = toApiIndex(index);
    const page = Math.floor(apiIndex / FOLDER_PAGE_SIZE);
    return byPage.get(page)?.[apiIndex - page * FOLDER_PAGE_SIZE];
  };
  /** The row index of `path` among the pages loaded, or -1: no page is fetched for it. */
  const indexOf = (path: string): number => {
    for (const [page, items] of byPage) {
      const i = items.findIndex((entry) => entry.path === path);
      // toApiIndex maps both ways: the reversed order is its own inverse.
      if (i >= 0) return toApiIndex(page * FOLDER_PAGE_SIZE + i);
    }
    return -1;
  };
  const pageError = pages.find((q) => q.error)?.error ?? null;

  return { totalCount, rowAt, indexOf, firstPage, pageError };
}
