import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PublicPackage } from '../../../../contract/packages';
import type { PublicDownload } from '../../../../contract/shares';
import { api } from '../../../lib/api-client';

// An external recipient's personal link (docs/packages.md §7): no session is needed or read; the
// access cookie the one-time code answers with is scoped by the portal to this link's routes.
const base = (link: string) => `/api/public/packages/${encodeURIComponent(link)}`;
export const publicPackageKey = (link: string) => ['public-package', link] as const;

export function publicPackageQueryOptions(link: string) {
  return queryOptions({
    queryKey: publicPackageKey(link),
    queryFn: async ({ signal }) => (await api.get<{ package: PublicPackage }>(base(link), { signal })).package,
    // A 404 is the answer, not a hiccup to retry.
    retry: false,
  });
}

export const usePublicPackage = (link: string) => useQuery(publicPackageQueryOptions(link));

/** Asks the portal to mail a fresh one-time code to the link's address. */
export const useSendPackageCode = (link: string) =>
  useMutation({ mutationFn: () => api.post<{ sentTo: string; expiresInSeconds: number }>(`${base(link)}/code`, {}) });

/** The code, in the body only; the answer is the link's access cookie, then the package is read again. */
export function useUnlockPackage(link: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => api.post<null>(`${base(link)}/unlock`, { code }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: publicPackageKey(link) }),
  });
}

export const requestPublicPackageDownload = (link: string, paths: string[]) =>
  api.post<PublicDownload>(`${base(link)}/downloads`, { paths });
