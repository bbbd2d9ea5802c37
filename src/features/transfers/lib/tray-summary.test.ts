import { describe, expect, it } from 'vitest';
import type { TransferRecord } from '../../../../contract/transfers';
import type { LiveProgress } from './next-progress';
import { trayRecords, traySummary } from './tray-summary';

const record = (id: string, over: Partial<TransferRecord> = {}): TransferRecord => ({
  id,
  userId: 'u',
  spaceId: 's',
  direction: 'upload',
  title: id,
  folder: '/',
  paths: [id],
  fileCount: 1,
  bytesExpected: 1000,
  bytesTransferred: 0,
  client: 'http-gateway',
  status: 'running',
  error: null,
  createdAt: '2026-01-01T00:00:00Z',
  startedAt: null,
  endedAt: null,
  ...over,
});
const live = (status: LiveProgress['status'], bytesDone: number, rate: number | null = null): LiveProgress => ({
  status,
  bytesDone,
  bytesTotal: 1000,
  rate,
  eta: null,
  samples: 0,
  sampledAt: 0,
  sampledBytes: 0,
});

describe('the transfer tray', () => {
  it('sums running transfers: count, percent of their bytes, rate', () => {
    const records = [record('a'), record('b', { bytesExpected: 3000 }), record('c', { status: 'completed' })];
    const byId = { a: live('running', 500, 100), b: { ...live('running', 500, 50), bytesTotal: 3000 }, c: live('completed', 1000) };
    expect(traySummary(records, byId)).toEqual({ running: 2, percent: 25, rate: 150 });
    // A transfer the client saw end is not running, whatever the record still says.
    expect(traySummary(records, { ...byId, a: live('completed', 1000) })).toMatchObject({ running: 1 });
    expect(traySummary([record('x', { bytesExpected: null })], {})).toEqual({ running: 1, percent: null, rate: 0 });
  });

  it('lists running transfers first, then the ended ones this page followed or that ended lately; not removed or old ones', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const records = [
      record('ended-here', { status: 'completed' }),
      record('old', { status: 'failed', endedAt: '2026-01-01T11:40:00Z' }),
      record('lately', { status: 'failed', endedAt: '2026-01-01T11:50:00Z' }),
      record('running'),
      record('removed'),
    ];
    const byId = { 'ended-here': live('completed', 1000), removed: live('running', 1) };
    expect(trayRecords(records, byId, { removed: true }, now).map((r) => r.id)).toEqual(['running', 'ended-here', 'lately']);
    const many = Array.from({ length: 12 }, (_, i) => record(`r${i}`));
    expect(trayRecords(many, {}, {}, now)).toHaveLength(10);
  });
});
