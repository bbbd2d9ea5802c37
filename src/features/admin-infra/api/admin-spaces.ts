import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdminSpacesPage, Space } from '../../../../contract/spaces';
import { api } from '../../../lib/api-client';
import { spacesKey } from '../../../lib/query-keys';

export const ADMIN_SPACES_PAGE_SIZE = 25;
export const adminSpacesKey = ['admin', 'spaces'] as const;

export interface AdminSpacesParams {
  q: string;
  page: number;
  pageSize: number;
}

export function getAdminSpaces(params: AdminSpacesParams, signal?: AbortSignal): Promise<AdminSpacesPage> {
  const query = new URLSearchParams({ offset: String((params.page - 1) * params.pageSize), limit: String(params.pageSize) });
  if (params.q.trim()) query.set('q', params.q.trim());
  return api.get(`/api/admin/spaces?${query.toString()}`, { signal });
}

export const adminSpacesQueryOptions = (params: AdminSpacesParams) =>
  queryOptions({
    queryKey: [...adminSpacesKey, params],
    queryFn: ({ signal }) => getAdminSpaces(params, signal),
    placeholderData: keepPreviousData,
  });

export const useAdminSpaces = (params: AdminSpacesParams) => useQuery(adminSpacesQueryOptions(params));

/** After any change the console's list and everyone's space list are stale. */
function useRefresh() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: adminSpacesKey }),
      queryClient.invalidateQueries({ queryKey: spacesKey }),
    ]);
  };
}

export function useCreateSpace() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (input: { name: string; nodeId: string; rootPath?: string }) => api.post<Space>('/api/spaces', input),
    onSuccess: refresh,
  });
}

export function useRenameSpace() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, name }: { id: string; name: string }) => api.patch<Space>(`/api/spaces/${encodeURIComponent(id)}`, { name }),
    onSuccess: refresh,
  });
}

export function useDeleteSpace() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, files, confirmName }: { id: string; files: 'keep' | 'delete'; confirmName?: string }) => {
      const query = new URLSearchParams({ files });
      if (confirmName !== undefined) query.set('confirmName', confirmName);
      return api.delete<null>(`/api/spaces/${encodeURIComponent(id)}?${query.toString()}`);
    },
    onSuccess: refresh,
  });
}
