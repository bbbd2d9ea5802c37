/**
 * Rate samples (one per 250 ms, see the progress store) before an ETA is worth showing: the first
 * second of a transfer (TCP slow start, the first request's latency) says little about the rest.
 */
export const MIN_ETA_SAMPLES = 6;

/** Seconds left at the smoothed rate, or null while it would be a guess (no total, no rate yet). */
export function getEta(progress: {
  bytesDone: number;
  bytesTotal: number | null;
  /** Smoothed bytes per second. */
  rate: number | null;
  samples: number;
}): number | null {
  const { bytesDone, bytesTotal, rate, samples } = progress;
  if (bytesTotal === null || rate === null || rate <= 0 || samples < MIN_ETA_SAMPLES) return null;
  return Math.max(0, bytesTotal - bytesDone) / rate;
}
