import { useQuery } from '@tanstack/react-query';
import { folderPageQueryOptions } from '../api/get-folder-page';

/**
 * How many entries the folder holds (matching `filter` when one is given), from the first page by
 * name: the table's own query unless it is sorted otherwise. Null until it is known.
 */
export function useFolderCount(spaceId: string, path: string, filter = ''): number | null {
  const firstPage = useQuery({
    ...folderPageQueryOptions({ spaceId, path, sort: 'name', skip: 0, filter }),
    select: (page) => page.totalCount,
  });
  return firstPage.data ?? null;
}
