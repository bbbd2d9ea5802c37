import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Session } from '../../../../contract/session';
import { sessionQueryOptions } from '../api/get-session';
import { getLoginPath } from '../lib/return-path';

export interface RequireSessionProps {
  /** Shown while Courier asks the server who is logged in. */
  pending: ReactNode;
  children: (session: Session) => ReactNode;
}

/** Renders its children only for a logged-in user; sends everyone else to the login page. */
export function RequireSession({ pending, children }: RequireSessionProps) {
  const location = useLocation();
  const session = useQuery({
    ...sessionQueryOptions(),
    // A 401 is an answer (see getSession); any other failure with nothing to show goes to the
    // nearest error boundary, whose retry refetches. A failed refetch keeps the last answer.
    throwOnError: (_error, query) => query.state.data === undefined,
  });

  if (!session.data) return pending;
  if (session.data.status === 'signed-in') return children(session.data.session);
  // After logging out there is nothing to come back to.
  const from = session.data.reason === 'logged-out' ? null : location;
  return <Navigate to={getLoginPath(from)} replace />;
}
