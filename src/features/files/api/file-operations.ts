import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PathResult } from '../../../../contract/files';
import { api } from '../../../lib/api-client';
import { folderKey } from './get-folder-page';

const base = (spaceId: string) => `/api/spaces/${encodeURIComponent(spaceId)}`;

export function createFolder(spaceId: string, path: string): Promise<{ path: string }> {
  return api.post(`${base(spaceId)}/folders`, { path });
}

export function renameEntry(spaceId: string, path: string, newName: string): Promise<{ path: string }> {
  return api.post(`${base(spaceId)}/rename`, { path, newName });
}

/** What a delete acts on: these paths, or every entry of a folder as the portal reads it. */
export type DeleteTarget = { paths: string[] } | { allOf: string; except: string[] };

export async function deleteEntries(spaceId: string, target: DeleteTarget): Promise<PathResult[]> {
  return (await api.post<{ results: PathResult[] }>(`${base(spaceId)}/delete`, target)).results;
}

/** Every change here touches one folder: refresh all of its pages, whatever the sort. */
function useRefreshFolder(spaceId: string, folder: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: folderKey(spaceId, folder) });
}

export function useCreateFolder(spaceId: string, folder: string) {
  const refresh = useRefreshFolder(spaceId, folder);
  return useMutation({
    mutationFn: (path: string) => createFolder(spaceId, path),
    onSuccess: refresh,
  });
}

export function useRenameEntry(spaceId: string, folder: string) {
  const refresh = useRefreshFolder(spaceId, folder);
  return useMutation({
    mutationFn: ({ path, newName }: { path: string; newName: string }) => renameEntry(spaceId, path, newName),
    onSuccess: refresh,
  });
}

export function useDeleteEntries(spaceId: string, folder: string) {
  const refresh = useRefreshFolder(spaceId, folder);
  return useMutation({
    mutationFn: (target: DeleteTarget) => deleteEntries(spaceId, target),
    // Some paths may have gone even when others failed: refresh whatever the outcome.
    onSettled: refresh,
  });
}
