import { SessionKeeper } from '../features/auth/components/session-keeper';
import { useTransfersStore } from '../features/transfers/stores/transfers-store';

/**
 * The session keeper, told whether transfers are running: the bytes go to the transfer node, so
 * without this the portal sees no use during a long upload and ends the session under it.
 */
export function KeepSession({ idleTimeoutSeconds }: { idleTimeoutSeconds: number }) {
  const running = useTransfersStore((s) =>
    Object.values(s.byId).some((p) => p.status === 'queued' || p.status === 'starting' || p.status === 'running'),
  );
  return <SessionKeeper idleTimeoutSeconds={idleTimeoutSeconds} keepAlive={running} />;
}
