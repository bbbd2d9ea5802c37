import { describe, expect, it } from 'vitest';
import { describeTransfer, formatSpan, transferTimes } from './transfer-facts';

describe('transfer facts', () => {
  it('names a download by its space and paths, not a count', () => {
    expect(describeTransfer({ direction: 'download', paths: ['/a.txt', '/Reports/'], folder: '/' }, 'Finance')).toBe(
      'From Finance: /a.txt, /Reports/',
    );
    expect(describeTransfer({ direction: 'download', paths: ['/1', '/2', '/3', '/4', '/5'], folder: '/' }, 'F')).toBe(
      'From F: /1, /2, /3 and 2 more',
    );
    expect(describeTransfer({ direction: 'upload', paths: ['x'], folder: '/In/Box' }, 'F')).toBe('To F, /In/Box');
  });

  it('gives duration and average rate once ended, only the start while running', () => {
    const now = new Date('2026-03-02T10:00:00Z');
    const record = { createdAt: '', startedAt: '2026-03-02T09:58:00Z', endedAt: '2026-03-02T09:58:04Z', bytesTransferred: 8_000_000 };
    const facts = transferTimes(record, 0, now);
    expect(facts[0]).toMatch(/^Started /);
    expect(facts[1]).toMatch(/^Ended /);
    expect(facts.slice(2)).toEqual(['Took 4 s', '2.0 MB/s average']);
    expect(transferTimes({ ...record, endedAt: null }, 0, now)).toHaveLength(1);
    expect(transferTimes({ ...record, startedAt: null, endedAt: null }, 0, now)).toEqual([]);
  });

  it('writes spans to the second', () => {
    expect(formatSpan(125_000)).toBe('2 min 5 s');
    expect(formatSpan(3_780_000)).toBe('1 h 3 min');
    expect(formatSpan(400)).toBe('0 s');
  });
});
