import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MarkReadRequest } from '../../../../contract/notifications';
import { api } from '../../../lib/api-client';
import { notificationsKey } from './get-notifications';

/** Marks some notifications read (`ids`), or all (`all: true`); the bell's count follows. */
export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: MarkReadRequest) => api.post<{ unread: number }>('/api/notifications/read', request),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationsKey }),
  });
}
