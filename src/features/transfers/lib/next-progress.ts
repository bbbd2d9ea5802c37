import type { FileProgress, TransferClientEvent, TransferClientStatus } from '../../../transfer-clients';
import { ema } from './ema';
import { getEta } from './get-eta';

/**
 * Rate and ETA are recomputed at most every 250 ms (4 Hz): often enough to feel live, rarely
 * enough that 500 running transfers do not turn every progress event into a re-render and the
 * rate is measured over a span long enough not to jitter.
 */
export const RATE_INTERVAL_MS = 250;
// Weight of the newest rate sample: about the last 2 s (8 samples) dominate the average.
const RATE_ALPHA = 0.25;

/** What only the browser knows about a transfer while it runs; the record stays in TanStack Query. */
export interface LiveProgress {
  status: TransferClientStatus;
  bytesDone: number;
  bytesTotal: number | null;
  /** Smoothed bytes per second; null until measured. */
  rate: number | null;
  /** Seconds left, only once the rate is stable (see get-eta.ts). */
  eta: number | null;
  samples: number;
  sampledAt: number;
  sampledBytes: number;
  error?: { code: string; message: string } | undefined;
  handedToBrowser?: boolean | undefined;
  /** The per-file list as the client last sent it (events without one leave it as it was). */
  files?: FileProgress[] | undefined;
}

export function nextProgress(previous: LiveProgress | undefined, event: TransferClientEvent, now: number): LiveProgress {
  const base: LiveProgress = previous ?? {
    status: event.status,
    bytesDone: 0,
    bytesTotal: event.bytesTotal,
    rate: null,
    eta: null,
    samples: 0,
    sampledAt: now,
    sampledBytes: event.bytesDone,
  };
  const next: LiveProgress = {
    ...base,
    status: event.status,
    bytesDone: event.bytesDone,
    bytesTotal: event.bytesTotal ?? base.bytesTotal,
    error: event.error,
    handedToBrowser: event.handedToBrowser ?? base.handedToBrowser,
    files: event.files ?? base.files,
  };
  if (event.status !== 'running') return { ...next, rate: event.status === 'completed' ? base.rate : null, eta: null };
  const elapsed = now - base.sampledAt;
  if (elapsed < RATE_INTERVAL_MS) return next;
  const sample = ((event.bytesDone - base.sampledBytes) * 1000) / elapsed;
  const rate = ema(base.rate, Math.max(0, sample), RATE_ALPHA);
  const samples = base.samples + 1;
  return {
    ...next,
    rate,
    samples,
    sampledAt: now,
    sampledBytes: event.bytesDone,
    eta: getEta({ bytesDone: event.bytesDone, bytesTotal: next.bytesTotal, rate, samples }),
  };
}
