import { describe, expect, it } from 'vitest';
import { ema } from './ema';

describe('ema', () => {
  it('starts at the first sample and moves by alpha toward each new one', () => {
    expect(ema(null, 100, 0.3)).toBe(100);
    expect(ema(100, 200, 0.3)).toBeCloseTo(130);
    expect(ema(130, 130, 0.3)).toBeCloseTo(130);
  });

  it('damps a single spike', () => {
    let value: number | null = null;
    for (const sample of [10, 10, 10, 1000, 10]) value = ema(value, sample, 0.2);
    expect(value).toBeLessThan(200);
  });
});

describe('ema without a usable history', () => {
  it('starts afresh from the sample after a NaN or infinite average', () => {
    expect(ema(Number.NaN, 50, 0.3)).toBe(50);
    expect(ema(Number.POSITIVE_INFINITY, 50, 0.3)).toBe(50);
  });
});
