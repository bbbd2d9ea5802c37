import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateShareRequest, Share, UpdateShareRequest } from '../../../../contract/shares';
import { api } from '../../../lib/api-client';
import { sharesKey } from '../../../lib/query-keys';

type CreateInput = Omit<CreateShareRequest, 'note' | 'notify' | 'recipients'> &
  Partial<Pick<CreateShareRequest, 'note' | 'notify' | 'recipients'>>;

/** Makes a link; "My links" shows it next time without a reload. */
export function useCreateShare() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateInput) => (await api.post<{ share: Share }>('/api/shares', input)).share,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sharesKey }),
  });
}

export function useUpdateShare() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, ...patch }: UpdateShareRequest & { id: string }) =>
      (await api.patch<{ share: Share }>(`/api/shares/${encodeURIComponent(id)}`, patch)).share,
    onSettled: () => queryClient.invalidateQueries({ queryKey: sharesKey }),
  });
}

export function useRevokeShare() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => (await api.delete<{ share: Share }>(`/api/shares/${encodeURIComponent(id)}`)).share,
    onSettled: () => queryClient.invalidateQueries({ queryKey: sharesKey }),
  });
}
