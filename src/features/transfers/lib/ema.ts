/**
 * Exponential moving average: `alpha` of the new sample, the rest from history. The first sample
 * stands alone (no history to blend with), so the average does not start from a made-up zero.
 */
export function ema(previous: number | null, sample: number, alpha: number): number {
  if (previous === null || !Number.isFinite(previous)) return sample;
  return alpha * sample + (1 - alpha) * previous;
}
