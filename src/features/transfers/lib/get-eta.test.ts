import { describe, expect, it } from 'vitest';
import { MIN_ETA_SAMPLES, getEta } from './get-eta';

const stable = { samples: MIN_ETA_SAMPLES };

describe('getEta', () => {
  it('divides what is left by the smoothed rate', () => {
    expect(getEta({ bytesDone: 250, bytesTotal: 1000, rate: 50, ...stable })).toBe(15);
    expect(getEta({ bytesDone: 1200, bytesTotal: 1000, rate: 50, ...stable })).toBe(0);
  });

  it('says nothing while it would be a guess', () => {
    expect(getEta({ bytesDone: 0, bytesTotal: null, rate: 50, ...stable })).toBeNull();
    expect(getEta({ bytesDone: 0, bytesTotal: 1000, rate: null, ...stable })).toBeNull();
    expect(getEta({ bytesDone: 0, bytesTotal: 1000, rate: 0, ...stable })).toBeNull();
    expect(getEta({ bytesDone: 0, bytesTotal: 1000, rate: 50, samples: MIN_ETA_SAMPLES - 1 })).toBeNull();
  });
});
