import type { TransferRecord } from '../../../../contract/transfers';
import { clientOf, store, type EngineState } from './engine-state';

/** Whether the client carrying it can pause and resume (Desktop can; the gateway cannot). */
export function canPause(engine: EngineState, record: Pick<TransferRecord, 'id' | 'client'>): boolean {
  return clientOf(engine, record).capabilities.pause;
}

/** Pause through the client that carries it (Desktop stops and keeps what arrived). */
export async function pause(engine: EngineState, record: TransferRecord): Promise<void> {
  try {
    await clientOf(engine, record).pause(record.id);
  } catch (error) {
    store().pushToast({ kind: 'error', title: 'Not paused', subtitle: `${record.title}: ${(error as Error).message}` });
  }
}

/**
 * Continue a paused, failed or stopped transfer where it stopped, through the client that carries
 * it (only where `capabilities.resume`). A transfer that had ended is followed again: its next
 * `running` goes back to the portal, which reopens the record, and its end is told once more.
 */
export async function resume(engine: EngineState, record: TransferRecord): Promise<boolean> {
  const started = engine.started.get(record.id);
  const wasEnded = started?.ended ?? false;
  if (started) Object.assign(started, { ended: false, reportedRunning: false, quarter: 0 });
  try {
    await clientOf(engine, record).resume(record.id);
    return true;
  } catch (error) {
    if (started) started.ended = wasEnded;
    if ((error as { code?: string }).code === 'UNKNOWN_TRANSFER') return false;
    store().pushToast({ kind: 'error', title: 'Not resumed', subtitle: `${record.title}: ${(error as Error).message}` });
    return true;
  }
}
