import { useEffect } from 'react';
import { SessionKeeper } from '../features/auth/components/session-keeper';
import { useHeldUploads } from '../features/files/stores/held-upload';
import { useTransfersStore } from '../features/transfers/stores/transfers-store';

/**
 * The session keeper, told whether transfers are running: the bytes go to the transfer node, so
 * without this the portal sees no use during a long upload and ends the session under it.
 */
export function KeepSession({ idleTimeoutSeconds, userId }: { idleTimeoutSeconds: number; userId: string }) {
  // Files held over a login (src/features/files/stores/held-upload.ts) are offered only to their owner.
  useEffect(() => useHeldUploads.getState().keepOnlyFor(userId), [userId]);
  const running = useTransfersStore((s) =>
    Object.values(s.byId).some((p) => p.status === 'queued' || p.status === 'starting' || p.status === 'running'),
  );
  return <SessionKeeper idleTimeoutSeconds={idleTimeoutSeconds} keepAlive={running} />;
}
