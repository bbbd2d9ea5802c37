import type { TransferRecord } from '../../../contract/transfers';
import type { ChangeChannel } from '../../db/change-channel';
import { toTransferRecord, type TransfersRepository } from './transfers-repository';

type Listener = (record: TransferRecord) => void;

// Rows are read back with this much overlap, so an update committed by another portal instance in
// the same millisecond as our last read is not missed; duplicates are dropped by (id, updated_at).
const OVERLAP_MS = 2000;

/**
 * Fans transfer changes out to server-sent-event subscribers. It reads changes from the database
 * rather than from memory, so a subscriber on one portal instance sees updates made by another:
 * at once when the other instance announces them on the change channel (PostgreSQL NOTIFY), else at
 * the next poll (docs/deployment.md §4).
 */
export function createTransferFeed(
  transfers: TransfersRepository,
  intervalMs = 1000,
  channel?: Pick<ChangeChannel, 'publish' | 'subscribe'>,
) {
  const listeners = new Map<Listener, { userId: string; all: boolean }>();
  const sent = new Map<string, number>();
  let cursor = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;

  async function poll(): Promise<void> {
    const rows = await transfers.changedSince(cursor - OVERLAP_MS);
    for (const row of rows) {
      if (sent.get(row.id) === row.updated_at) continue;
      sent.set(row.id, row.updated_at);
      cursor = Math.max(cursor, row.updated_at);
      const record = toTransferRecord(row);
      for (const [listener, who] of listeners) if (who.all || who.userId === row.user_id) listener(record);
    }
    for (const [id, at] of sent) if (at < cursor - 2 * OVERLAP_MS) sent.delete(id);
  }

  const run = () => (polling ??= poll().finally(() => (polling = undefined)));
  // A change announced while a read runs may have committed after it read: read again after it.
  let again = false;
  const runAgain = (): void => {
    if (polling) {
      again = true;
      return;
    }
    void run()
      .catch(() => undefined)
      .finally(() => {
        if (again) {
          again = false;
          runAgain();
        }
      });
  };
  const unlisten = channel?.subscribe(() => {
    if (listeners.size > 0) runAgain();
  });

  return {
    subscribe(who: { userId: string; all: boolean }, listener: Listener): () => void {
      listeners.set(listener, who);
      if (!timer) {
        timer = setInterval(() => void run().catch(() => undefined), intervalMs);
        timer.unref();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    /** Something changed here: tell subscribers now rather than at the next tick. */
    nudge(): void {
      channel?.publish();
      if (listeners.size > 0) runAgain();
    },
    close(): void {
      unlisten?.();
      clearInterval(timer);
      listeners.clear();
    },
  };
}

export type TransferFeed = ReturnType<typeof createTransferFeed>;
