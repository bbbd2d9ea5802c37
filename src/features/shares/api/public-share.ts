import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PublicDownload, PublicFolder, PublicShare } from '../../../../contract/shares';
import { api } from '../../../lib/api-client';

// Public routes (docs/sharing.md §2): no session is needed or read; the access cookie of a password
// link is the browser's, scoped by the portal to that link's routes.
const base = (id: string) => `/api/public/shares/${encodeURIComponent(id)}`;
export const publicShareKey = (id: string) => ['public-share', id] as const;

export function publicShareQueryOptions(id: string) {
  return queryOptions({
    queryKey: publicShareKey(id),
    queryFn: async ({ signal }) => (await api.get<{ share: PublicShare }>(base(id), { signal })).share,
    // A 401 (password), 404 or 410 is the answer, not a hiccup to retry.
    retry: false,
  });
}

export function usePublicShare(id: string) {
  return useQuery(publicShareQueryOptions(id));
}

export function publicFolderQueryOptions(id: string, path: string) {
  return queryOptions({
    queryKey: [...publicShareKey(id), 'files', path],
    queryFn: ({ signal }) => api.get<PublicFolder>(`${base(id)}/files?path=${encodeURIComponent(path)}`, { signal }),
    retry: false,
  });
}

export function usePublicFolder(id: string, path: string, enabled: boolean) {
  return useQuery({ ...publicFolderQueryOptions(id, path), enabled });
}

/** The password, in the body only; the answer is the link's access cookie, then the share is read again. */
export function useUnlockShare(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (password: string) => api.post<null>(`${base(id)}/unlock`, { password }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: publicShareKey(id) }),
  });
}

/** `client`: the one the page means to use, which the record names; the answer's `clients` say which may. */
export function requestPublicDownload(id: string, paths: string[], client: 'http-gateway' | 'desktop'): Promise<PublicDownload> {
  return api.post<PublicDownload>(`${base(id)}/downloads`, { paths, client });
}
