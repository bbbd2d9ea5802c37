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

/** The caller's file requests (their own; `all`: every one, for an admin). */
export const requestsQueryOptions = () =>
  queryOptions({
    queryKey: requestsKey,
    queryFn: async ({ signal }) => (await api.get<{ requests: FileRequest[] }>('/api/requests', { signal })).requests,
  });
export const useRequests = () => useQuery(requestsQueryOptions());

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
