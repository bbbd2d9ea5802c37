import { endSession, sessionQueryOptions } from '../features/auth/api/get-session';
import { createQueryClient } from '../lib/create-query-client';

/**
 * The app's one QueryClient. A 401 from any request means the session ended behind the user's
 * back (idle timeout, revoked): forget the cached data and let the route guard send the user to
 * the login page, which then says why.
 */
export const queryClient = createQueryClient({
  onSessionLost: () => endSession(queryClient, 'expired'),
});

/** Ask who is logged in while the first route's code is still downloading. */
export function prefetchSession(): void {
  void queryClient.prefetchQuery(sessionQueryOptions());
}
