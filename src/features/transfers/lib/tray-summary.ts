import type { TransferRecord } from '../../../../contract/transfers';
import { displayStatus, isEnded } from './display-status';
import type { LiveProgress } from './next-progress';

export interface TraySummary {
  running: number;
  /** Over the running transfers whose size is known; null when none is. */
  percent: number | null;
  /** Bytes per second, summed over the running transfers this page measures. */
  rate: number;
}

/** The tray's collapsed line: how many transfers run, how far along they are together, how fast. */
export function traySummary(records: readonly TransferRecord[], byId: Readonly<Record<string, LiveProgress>>): TraySummary {
  let running = 0;
  let done = 0;
  let total = 0;
  let rate = 0;
  for (const record of records) {
    const live = byId[record.id];
    if (isEnded(displayStatus(record, live?.status))) continue;
    running += 1;
    const bytesTotal = live?.bytesTotal ?? record.bytesExpected;
    if (bytesTotal) {
      total += bytesTotal;
      done += Math.min(bytesTotal, Math.max(live?.bytesDone ?? 0, record.bytesTransferred));
    }
    if (live?.status === 'running' && live.rate) rate += live.rate;
  }
  return { running, percent: total > 0 ? Math.floor((done / total) * 100) : null, rate };
}

/** At most this many transfers in the tray: the running ones first, then the newest ended ones. */
export const TRAY_LIMIT = 10;

/** An ended transfer stays "recent" this long: a reload or a coffee later, it is still in the tray. */
export const RECENT_MS = 15 * 60 * 1000;

/**
 * What the tray lists: transfers still running (from this page or not), then those this page
 * followed or that ended in the last RECENT_MS, newest first; the Transfers page keeps the full
 * history.
 */
export function trayRecords(
  records: readonly TransferRecord[],
  byId: Readonly<Record<string, LiveProgress>>,
  removed: Readonly<Record<string, true>>,
  now: number = Date.now(),
): TransferRecord[] {
  const running: TransferRecord[] = [];
  const recent: TransferRecord[] = [];
  for (const record of records) {
    if (removed[record.id]) continue;
    const live = byId[record.id];
    if (!isEnded(displayStatus(record, live?.status))) running.push(record);
    else if (live || (record.endedAt && now - new Date(record.endedAt).getTime() < RECENT_MS)) recent.push(record);
  }
  return [...running, ...recent].slice(0, TRAY_LIMIT);
}
