import { describe, expect, it } from 'vitest';
import { MIN_ETA_SAMPLES } from './get-eta';
import { RATE_INTERVAL_MS, nextProgress, type LiveProgress } from './next-progress';

const event = (bytesDone: number, status: LiveProgress['status'] = 'running') => ({
  transferId: 't1',
  status,
  bytesDone,
  bytesTotal: 10_000,
});

describe('nextProgress', () => {
  it('measures the rate at most every interval and shows an ETA only once stable', () => {
    let p = nextProgress(undefined, event(0), 0);
    p = nextProgress(p, event(50), RATE_INTERVAL_MS / 2);
    expect(p).toMatchObject({ bytesDone: 50, rate: null, samples: 0 });
    let now = 0;
    for (let i = 1; i <= MIN_ETA_SAMPLES; i += 1) {
      now = i * RATE_INTERVAL_MS;
      p = nextProgress(p, event(i * 250), now);
      if (i < MIN_ETA_SAMPLES) expect(p.eta).toBeNull();
    }
    expect(p.rate).toBeCloseTo(1000);
    expect(p.eta).toBeCloseTo((10_000 - MIN_ETA_SAMPLES * 250) / 1000);
  });

  it('drops rate and ETA when it stops, and keeps the total when an event does not know it', () => {
    let p = nextProgress(undefined, event(0), 0);
    p = nextProgress(p, { ...event(100, 'cancelled'), bytesTotal: null }, 1000);
    expect(p).toMatchObject({ status: 'cancelled', rate: null, eta: null, bytesTotal: 10_000 });
  });
});
