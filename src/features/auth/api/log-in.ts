import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { LoginRequest, Session } from '../../../../contract/session';
import { api } from '../../../lib/api-client';
import { readSession } from '../lib/read-session';
import { sessionQueryKey, signedIn } from './get-session';

export async function logIn(credentials: LoginRequest): Promise<Session> {
  return readSession(await api.post('/api/session', credentials));
}

export function useLogIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logIn,
    meta: { ownsSession: true },
    onSuccess: (session) => {
      queryClient.setQueryData(sessionQueryKey, signedIn(session));
    },
  });
}
