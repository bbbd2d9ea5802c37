import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreateRequest,
  FileRequest,
  FileRequestDetail,
  PublicRequest,
  SubmitRequest,
  SubmitResponse,
} from '../../../../contract/requests';
import { api } from '../../../lib/api-client';
import { publicRequestKey, requestKey, requestsKey, spaceKey } from '../../../lib/query-keys';
import type { Space } from '../../../../contract/spaces';

/** Whose requests: the caller's own, a space's (its managers) or everyone's (admins). */
export type RequestsScope = { kind: 'mine' } | { kind: 'space'; spaceId: string } | { kind: 'all' };

/** The requests in `scope` whose title or requester's name has every word of `search` (the portal decides). */
export const requestsQueryOptions = (scope: RequestsScope = { kind: 'mine' }, search = '') => {
  const params = new URLSearchParams();
  if (scope.kind === 'space') params.set('spaceId', scope.spaceId);
  if (scope.kind === 'all') params.set('all', 'true');
  if (search.trim()) params.set('q', search.trim());
  const query = params.toString() ? `?${params.toString()}` : '';
  return queryOptions({
    queryKey: [...requestsKey, 'list', query],
    queryFn: async ({ signal }) => (await api.get<{ requests: FileRequest[] }>(`/api/requests${query}`, { signal })).requests,
    // Typing a search keeps the last answer on screen until the next one arrives.
    placeholderData: (previous) => previous,
  });
};
export const useRequests = (scope?: RequestsScope, search?: string) => useQuery(requestsQueryOptions(scope, search));

/** One request with its submissions. */
export const useRequestDetail = (requestId: string) =>
  useQuery({
    queryKey: requestKey(requestId),
    queryFn: ({ signal }) => api.get<FileRequestDetail>(`/api/requests/${encodeURIComponent(requestId)}`, { signal }),
  });

export function useCreateRequest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateRequest) => (await api.post<{ request: FileRequest }>('/api/requests', body)).request,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: requestsKey }),
  });
}

export function useCloseRequest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (requestId: string) =>
      (await api.delete<{ request: FileRequest }>(`/api/requests/${encodeURIComponent(requestId)}`)).request,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: requestsKey }),
  });
}

/** What the guest page shows (no session needed). */
export const usePublicRequest = (requestId: string) =>
  useQuery({
    queryKey: publicRequestKey(requestId),
    queryFn: ({ signal }) => api.get<PublicRequest>(`/api/public/requests/${encodeURIComponent(requestId)}`, { signal }),
    retry: false,
  });

/** The password, in the body (never the URL); the answer sets this request's unlock cookie. */
export function useUnlockRequest(requestId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (password: string) => api.post(`/api/public/requests/${encodeURIComponent(requestId)}/unlock`, { password }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: publicRequestKey(requestId) }),
  });
}

export const submitToRequest = (requestId: string, body: SubmitRequest) =>
  api.post<SubmitResponse>(`/api/public/requests/${encodeURIComponent(requestId)}/submissions`, body);

/** The space with the caller's role, to offer "Request files" only where they may upload. */
export const useSpaceOfRequest = (spaceId: string) =>
  useQuery({
    queryKey: spaceKey(spaceId),
    queryFn: ({ signal }) => api.get<Space>(`/api/spaces/${encodeURIComponent(spaceId)}`, { signal }),
  });
