import { describe, expect, it } from 'vitest';
import { createConcurrencyLimiter } from './concurrency-limiter';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('createConcurrencyLimiter', () => {
  it('runs at most `concurrency` tasks at once, queues up to `maxQueued`, refuses the rest', async () => {
    const limiter = createConcurrencyLimiter({ concurrency: 2, maxQueued: 3 });
    const gates = Array.from({ length: 7 }, deferred);
    const started: number[] = [];
    const runs = gates.map((gate, i) => limiter.tryRun(async () => (started.push(i), gate.promise)));
    expect(runs.filter((r) => r === undefined)).toHaveLength(2);
    expect(started).toEqual([0, 1]);
    expect(limiter.stats()).toMatchObject({ running: 2, queued: 3, refused: 2 });
    for (const gate of gates) gate.resolve();
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(limiter.stats()).toMatchObject({ running: 0, queued: 0, peakRunning: 2, completed: 5 });
  });

  it('frees the slot of a task that throws', async () => {
    const limiter = createConcurrencyLimiter({ concurrency: 1, maxQueued: 0 });
    await expect(limiter.tryRun(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.tryRun(async () => 'ok')).toBe('ok');
  });
});
