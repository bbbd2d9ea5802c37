import type { TransferClientEvent } from '../../../transfer-clients';

export interface TimedEvent {
  event: TransferClientEvent;
  now: number;
}

/**
 * Holds `running` events and hands them over together at most every `flushMs`; any other status
 * hands over what is held and itself at once, in order, so an end is never overtaken by progress.
 * Every store update runs every row's selector: one update per event made each event cost
 * O(rows), and 500 transfers reporting once a second saturated the page (bench/benchmarks/spa.ts).
 */
export function createProgressBatch(flushMs: number, commit: (events: TimedEvent[]) => void) {
  let held: TimedEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (held.length === 0) return;
    const events = held;
    held = [];
    commit(events);
  };
  return {
    add(event: TransferClientEvent, now: number): void {
      held.push({ event, now });
      if (event.status === 'running') timer ??= setTimeout(flush, flushMs);
      else flush();
    },
    flush,
  };
}
