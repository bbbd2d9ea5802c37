import { endSession, sessionQueryOptions } from '../features/auth/api/get-session';
import { useSessionClock } from '../features/auth/stores/session-clock';
import { setSessionListener } from '../lib/api-client';
import { createQueryClient } from '../lib/create-query-client';

/**
 * The app's one QueryClient. A 401 from any request means the session ended behind the user's
 * back (idle timeout, revoked): forget the cached data and let the route guard send the user to
 * the login page, which then says why.
 */
export const queryClient = createQueryClient({
  onSessionLost: () => endSession(queryClient, 'expired'),
});

/** Any request, TanStack Query's or not (a transfer's authorization), tells about the session. */
setSessionListener((signal) => {
  if (signal.kind === 'lost') endSession(queryClient, 'expired');
  else useSessionClock.getState().endsIn(signal.ms);
});

/** Ask who is logged in while the first route's code is still downloading. */
export function prefetchSession(): void {
  void queryClient.prefetchQuery(sessionQueryOptions());
}
