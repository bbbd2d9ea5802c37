import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, isSessionLostError } from '../../../lib/api-client';
import { endSession } from './get-session';

export async function logOut(): Promise<void> {
  await api.delete<undefined>('/api/session', { ownsSession: true });
}

export function useLogOut() {
  const queryClient = useQueryClient();
  const forget = () => endSession(queryClient, 'logged-out');
  return useMutation({
    mutationFn: logOut,
    meta: { ownsSession: true },
    onSuccess: forget,
    // Already logged out on the server: the outcome the user asked for.
    onError: (error) => {
      if (isSessionLostError(error)) forget();
    },
  });
}
