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

/** How many times a write that carries an Idempotency-Key is sent again (docs/api.md §8). */
export const KEYED_WRITE_RETRIES = 8;
/** The backoff of those resends: 250 ms doubling to 2 s, about 12 s in all, past the portal's 5 s takeover of a dead instance's claim. */
const KEYED_WRITE_FIRST_DELAY_MS = 250;
const KEYED_WRITE_MAX_DELAY_MS = 2_000;
/** A Retry-After longer than this is a wait to show the person, not to sit out silently. */
const KEYED_WRITE_LONGEST_WAIT_MS = 5_000;
/** The portal's own answers about a node: the request ran to its end, so sending it again would only repeat them. */
const NODE_ANSWERS: ReadonlySet<string> = new Set(['NODE_UNAVAILABLE', 'NODE_ERROR']);

/**
 * Whether (and after how many ms) a write sent with an Idempotency-Key goes again after its
 * `failureCount`th failure, with the same key and body (docs/api.md §8); null: show the error. Only a
 * write with a key is ever resent: the portal answers its repeat with what the first one made. It is
 * resent when no answer came, when a proxy answered 502/503/504 for an instance that died or was
 * busy, and when the portal says the first is still running (409 with Retry-After).
 */
export function keyedWriteRetryDelay(failureCount: number, error: unknown): number | null {
  if (!(error instanceof ApiError) || failureCount > KEYED_WRITE_RETRIES) return null;
  const lost =
    error.status === 0 || ((error.status === 502 || error.status === 503 || error.status === 504) && !NODE_ANSWERS.has(error.code));
  const running = error.status === 409 && error.retryAfterSeconds !== undefined;
  if (!lost && !running) return null;
  const told = (error.retryAfterSeconds ?? 0) * 1000;
  if (told > KEYED_WRITE_LONGEST_WAIT_MS) return null;
  return Math.max(told, Math.min(KEYED_WRITE_FIRST_DELAY_MS * 2 ** (failureCount - 1), KEYED_WRITE_MAX_DELAY_MS));
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
