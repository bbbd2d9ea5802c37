import { useQueryClient } from '@tanstack/react-query';
import type { NameConflict } from '../../../../contract/files';
import { api } from '../../../lib/api-client';
import { folderKey } from './get-folder-page';

export function getNameConflicts(spaceId: string, folder: string, names: string[]): Promise<NameConflict[]> {
  return api
    .post<{ conflicts: NameConflict[] }>(`/api/spaces/${encodeURIComponent(spaceId)}/name-conflicts`, { folder, names })
    .then((answer) => answer.conflicts);
}

/**
 * Asks, at the moment of an upload, which of its names exist in the folder: always fresh (the
 * folder may have changed since it was listed, and its listing may not be loaded whole).
 */
export function useNameConflictsCheck(spaceId: string, folder: string) {
  const queryClient = useQueryClient();
  return (names: string[]) =>
    queryClient.fetchQuery({
      queryKey: [...folderKey(spaceId, folder), 'name-conflicts', names] as const,
      queryFn: () => getNameConflicts(spaceId, folder, names),
      staleTime: 0,
      gcTime: 0,
    });
}
