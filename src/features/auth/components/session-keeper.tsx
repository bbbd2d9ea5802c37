import { Modal } from '@carbon/react';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useReturnFocus } from '../../../hooks/use-return-focus';
import { sessionQueryOptions } from '../api/get-session';
import { useLogOut } from '../api/log-out';
import { useSessionClock } from '../stores/session-clock';

// The warning comes two minutes before an idle session ends, or half the idle timeout before when
// that is shorter (a timeout set to a minute would otherwise warn from the start).
const WARN_BEFORE_MS = 120_000;
// The expiry is checked this long after the end the portal announced, so the portal agrees it has
// passed: asking a moment early would count as use and extend a session nobody is at.
const EXPIRY_CHECK_AFTER_MS = 1000;

export interface SessionKeeperProps {
  idleTimeoutSeconds: number;
  /** Transfers are running: they are use the portal does not see, so keep the session alive. */
  keepAlive: boolean;
}

/**
 * Behind the login, on every page: keeps the session alive while transfers run, warns before an
 * idle session ends with a way to stay, and when it has ended sends the user to log in (the route
 * guard brings them back to this page afterwards).
 */
export function SessionKeeper({ idleTimeoutSeconds, keepAlive }: SessionKeeperProps) {
  const queryClient = useQueryClient();
  const endsAt = useSessionClock((s) => s.endsAt);
  // The end the warning was raised for: a later answer moves the end and so hides the warning.
  const [warnedFor, setWarnedFor] = useState<number | null>(null);
  const idleMs = idleTimeoutSeconds * 1000;
  const warnBeforeMs = Math.min(WARN_BEFORE_MS, idleMs / 2);

  // Asking who is logged in is use: the portal moves the idle end (or answers that it passed, and
  // the route guard goes to the login page).
  const touch = useCallback(async () => {
    try {
      await queryClient.fetchQuery({ ...sessionQueryOptions(), staleTime: 0 });
    } catch {
      // Unreachable: the next answer, or the next focus of the tab, tells.
    }
  }, [queryClient]);

  useEffect(() => {
    if (endsAt === null) return;
    const timers: number[] = [];
    const at = (time: number, run: () => void) => timers.push(window.setTimeout(run, Math.max(0, time - Date.now())));
    if (keepAlive) {
      // Half the idle time left: the portal writes last-seen at most every tenth of the idle timeout
      // (server/features/auth/auth-service.ts), so this request moves the end. Never sooner than
      // that tenth, so a session near its absolute end is not asked again and again.
      at(Math.max(endsAt - idleMs / 2, Date.now() + idleMs / 10), () => void touch());
    } else {
      at(endsAt - warnBeforeMs, () => setWarnedFor(endsAt));
      at(endsAt + EXPIRY_CHECK_AFTER_MS, () => void touch());
    }
    return () => timers.forEach((timer) => window.clearTimeout(timer));
  }, [endsAt, keepAlive, idleMs, warnBeforeMs, touch]);

  if (keepAlive || endsAt === null || warnedFor !== endsAt) return null;
  return <SessionEndingDialog endsAt={endsAt} onStay={touch} />;
}

function SessionEndingDialog({ endsAt, onStay }: { endsAt: number; onStay: () => Promise<void> }) {
  useReturnFocus();
  const logOut = useLogOut();
  const [staying, setStaying] = useState(false);
  const stay = () => {
    setStaying(true);
    void onStay().finally(() => setStaying(false));
  };
  const time = new Date(endsAt).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
  return (
    <Modal
      open
      alert
      size="sm"
      modalHeading="Your session is about to end"
      primaryButtonText={staying ? 'Staying signed in…' : 'Stay signed in'}
      primaryButtonDisabled={staying || logOut.isPending}
      secondaryButtonText="Log out"
      onRequestSubmit={stay}
      onSecondarySubmit={() => logOut.mutate()}
      // Closing it is a sign the user is here.
      onRequestClose={stay}
    >
      <p>Courier has not been used for a while. For your security you will be logged out at {time}.</p>
    </Modal>
  );
}
