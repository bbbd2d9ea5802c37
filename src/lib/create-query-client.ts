import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError, isSessionLostError } from './api-error';

/** Per-query and per-mutation flags the global handlers read. */
export interface RequestMeta extends Record<string, unknown> {
  /**
   * This request itself asks "who am I?" (or ends the session), so a 401 is an answer, not
   * a sign that the session was lost behind the user's back.
   */
  ownsSession?: boolean;
}

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: ApiError;
    queryMeta: RequestMeta;
    mutationMeta: RequestMeta;
  }
}

/** Retrying cannot change a 4xx: only no answer (status 0) or a 5xx is worth another try. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status > 0 && error.status < 500) return false;
  return failureCount < 2;
}

export interface QueryClientOptions {
  /** Called when any query or mutation learns that the session is gone. */
  onSessionLost: () => void;
}

export function createQueryClient({ onSessionLost }: QueryClientOptions): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (isSessionLostError(error) && !query.meta?.ownsSession) onSessionLost();
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (isSessionLostError(error) && !mutation.meta?.ownsSession) onSessionLost();
      },
    }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
}
