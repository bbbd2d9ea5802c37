import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import type { Session } from '../../../../contract/session';
import { api, isSessionLostError, setCsrfToken } from '../../../lib/api-client';
import { readSession } from '../lib/read-session';

/** Why nobody is logged in: decides what the login page says. */
export type SignedOutReason = 'anonymous' | 'expired' | 'logged-out';

export type SessionState = { status: 'signed-in'; session: Session } | { status: 'signed-out'; reason: SignedOutReason };

export const sessionQueryKey = ['session'] as const;

export function signedIn(session: Session): SessionState {
  setCsrfToken(session.csrfToken);
  return { status: 'signed-in', session };
}

export function signedOut(reason: SignedOutReason): SessionState {
  setCsrfToken(null);
  return { status: 'signed-out', reason };
}

/**
 * Forget everything fetched for this user (the next one must not see it) and record why the
 * session ended. The session entry itself is replaced, not removed, so the route guard that
 * observes it re-renders and redirects.
 */
export function endSession(queryClient: QueryClient, reason: SignedOutReason): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
  queryClient.setQueryData(sessionQueryKey, signedOut(reason));
}

/** "Not logged in" is an answer here, not an error: the caller decides where to go. */
export async function getSession(signal?: AbortSignal): Promise<SessionState> {
  try {
    return signedIn(readSession(await api.get('/api/session', { signal, ownsSession: true })));
  } catch (error) {
    if (!isSessionLostError(error)) throw error;
    return signedOut(error.code === 'SESSION_EXPIRED' ? 'expired' : 'anonymous');
  }
}

function signedOutReason(state: unknown): SignedOutReason | null {
  const session = state as SessionState | undefined;
  return session?.status === 'signed-out' ? session.reason : null;
}

export function sessionQueryOptions() {
  return queryOptions({
    queryKey: sessionQueryKey,
    queryFn: ({ signal }) => getSession(signal),
    // Asking refreshes the server's idle timer, so ask only when the answer may have changed:
    // when the user comes back to the tab (a session can expire while they are away).
    staleTime: Infinity,
    refetchOnWindowFocus: 'always',
    // The portal answers "expired" once and then forgets the session, so a later question (the tab
    // regaining focus on the login page) answers "not logged in": the login page keeps saying why.
    structuralSharing: (previous: unknown, next: unknown) =>
      signedOutReason(previous) === 'expired' && signedOutReason(next) === 'anonymous' ? previous : next,
    meta: { ownsSession: true },
  });
}

export function useSession() {
  return useQuery(sessionQueryOptions());
}
