import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreatePackageFromSpaceResponse,
  CreatePackageResponse,
  Directory,
  PackageDetail,
  PackageSummary,
} from '../../../../contract/packages';
import type { CreateTransferResponse } from '../../../../contract/transfers';
import { api } from '../../../lib/api-client';
import { packageKey, packagesKey } from '../../../lib/query-keys';

export type Box = 'inbox' | 'sent';

export interface NewPackage {
  recipients: { userIds: string[]; groupIds: string[]; emails: string[] };
  subject: string;
  message: string;
  files: Array<{ path: string; size: number }>;
  expiresAt?: string;
  notifyOnDownload: boolean;
  privateRecipients: boolean;
  /** External recipients confirm a one-time code sent by email (docs/packages.md §7). */
  requireCode: boolean;
}

export function packagesQueryOptions(box: Box, q: string, archived: boolean) {
  const params = new URLSearchParams({ box });
  if (q.trim()) params.set('q', q.trim());
  if (archived) params.set('archived', '1');
  return queryOptions({
    queryKey: [...packagesKey, box, q.trim(), archived],
    queryFn: ({ signal }) => api.get<{ packages: PackageSummary[]; unread: number }>(`/api/packages?${params.toString()}`, { signal }),
  });
}

export const usePackages = (box: Box, q: string, archived: boolean) =>
  useQuery({ ...packagesQueryOptions(box, q, archived), placeholderData: keepPreviousData });

export function usePackage(id: string) {
  return useQuery({
    queryKey: packageKey(id),
    queryFn: ({ signal }) => api.get<PackageDetail>(`/api/packages/${encodeURIComponent(id)}`, { signal }),
  });
}

export function useDirectory(q: string) {
  return useQuery({
    queryKey: [...packagesKey, 'directory', q.trim()],
    queryFn: ({ signal }) => api.get<Directory>(`/api/packages/directory?q=${encodeURIComponent(q.trim())}`, { signal }),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
}

/** `POST /api/packages`: the package and its upload's authorization, as `POST /api/transfers` answers. */
export const sendPackage = (body: NewPackage) => api.post<CreatePackageResponse>('/api/packages', body);

/** `POST /api/packages/from-space`: files already in a space, copied node to node (docs/packages.md §8). */
export const sendPackageFromSpace = (body: Omit<NewPackage, 'files'> & { from: { spaceId: string; paths: string[] } }) =>
  api.post<CreatePackageFromSpaceResponse>('/api/packages/from-space', body);

/** A download of the whole package (`paths` empty), a selection or one file. */
export const authorizePackageDownload = (id: string, paths: string[]) =>
  api.post<CreateTransferResponse>(`/api/packages/${encodeURIComponent(id)}/downloads`, { paths });

export function useArchivePackage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, archived }: { id: string; archived: boolean }) =>
      api.put(`/api/packages/${encodeURIComponent(id)}/archive`, { archived }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: packagesKey }),
  });
}

export function useRecallPackage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/packages/${encodeURIComponent(id)}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: packagesKey }),
  });
}
