import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Session } from '../../../../contract/session';
import { useSession } from '../api/get-session';
import { getLoginPath } from '../lib/return-path';

export interface RequireSessionProps {
  /** Shown while Courier asks the server who is logged in. */
  pending: ReactNode;
  children: (session: Session) => ReactNode;
}

/** Renders its children only for a logged-in user; sends everyone else to the login page. */
export function RequireSession({ pending, children }: RequireSessionProps) {
  const location = useLocation();
  const session = useSession();

  if (!session.data) {
    // Not a 401 (those are answers, see getSession): the server or the network failed. The
    // nearest error boundary offers a retry. A failed refetch keeps the last answer instead.
    if (session.isError) throw session.error;
    return pending;
  }
  if (session.data.status === 'signed-in') return children(session.data.session);
  // After logging out there is nothing to come back to.
  const from = session.data.reason === 'logged-out' ? null : location;
  return <Navigate to={getLoginPath(from)} replace />;
}
