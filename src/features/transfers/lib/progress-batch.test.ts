import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TransferClientStatus } from '../../../transfer-clients';
import { createProgressBatch, type TimedEvent } from './progress-batch';

const event = (transferId: string, status: TransferClientStatus, bytesDone = 0) => ({ transferId, status, bytesDone, bytesTotal: 100 });

describe('createProgressBatch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('hands running events over together, once per interval, in arrival order', () => {
    const commits: TimedEvent[][] = [];
    const batch = createProgressBatch(100, (events) => commits.push(events));
    for (let i = 1; i <= 5; i++) batch.add(event(`t${i}`, 'running', i), i);
    expect(commits).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(commits.map((c) => c.map((e) => e.event.transferId))).toEqual([['t1', 't2', 't3', 't4', 't5']]);
    expect(commits[0]?.map((e) => e.now)).toEqual([1, 2, 3, 4, 5]);
    vi.advanceTimersByTime(1000);
    expect(commits).toHaveLength(1);
  });

  it('hands an end over at once, after the progress held before it', () => {
    const commits: TimedEvent[][] = [];
    const batch = createProgressBatch(100, (events) => commits.push(events));
    batch.add(event('t1', 'running', 50), 0);
    batch.add(event('t1', 'completed', 100), 1);
    expect(commits.map((c) => c.map((e) => e.event.status))).toEqual([['running', 'completed']]);
    vi.advanceTimersByTime(100);
    expect(commits).toHaveLength(1);
  });
});
