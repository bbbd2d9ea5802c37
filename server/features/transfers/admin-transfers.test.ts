/**
 * An admin's view of everyone's transfers (`GET /api/transfers?all=true`): filtered by user, space,
 * status and a date range, paged back by `before`; refused to anyone else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransfersTable } from '../../db/schema';
import { createTestApp, type LoggedIn, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

const T0 = Date.parse('2026-04-01T00:00:00Z');
const HOUR = 3_600_000;
const STATUSES = ['completed', 'failed', 'running'] as const;

describe.each(DIALECTS)("an admin's view of everyone's transfers on %s", (dialect) => {
  let t: TestApp;
  let admin: LoggedIn;
  let bob: LoggedIn;
  let bobId: string;
  const api: TestApp['api'] = (...args) => t.api(...args);
  const ids = async (query: string, who = admin) => {
    const r = await api(who, 'GET', `/api/transfers?all=true&${query}`);
    expect(r.status, query).toBe(200);
    return (r.json.transfers as Array<{ id: string }>).map((x) => x.id);
  };
  const name = (i: number) => `t-${String(i).padStart(2, '0')}`;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.login('alice');
    bob = await t.login('bob');
    const users = await t.db.selectFrom('users').select(['id', 'username']).execute();
    bobId = users.find((u) => u.username === 'bob')!.id;
    const aliceId = users.find((u) => u.username === 'alice')!.id;
    // A node row that is never called: these records are the history, not live transfers.
    await t.db
      .insertInto('nodes')
      .values({
        id: 'n',
        name: 'n',
        url: 'http://127.0.0.1:9',
        username: 'u',
        secret_sealed: 'x',
        gateway_url: null,
        verify_tls: 1,
        kind: 'embedded',
        is_default: 0,
        created_at: T0,
      })
      .execute();
    for (const id of ['space-a', 'space-b'])
      await t.db
        .insertInto('spaces')
        .values({ id, name: id, node_id: 'n', root_path: `/${id}`, root_key: id, owner_user_id: null, created_at: T0 })
        .execute();
    // 24 transfers an hour apart: bob's on even hours, alice's on odd; space-a then space-b; statuses in turn.
    const rows: TransfersTable[] = Array.from({ length: 24 }, (_, i) => ({
      id: name(i),
      user_id: i % 2 ? aliceId : bobId,
      space_id: i < 12 ? 'space-a' : 'space-b',
      node_id: 'n',
      direction: 'upload',
      title: `file ${i}`,
      folder: '/',
      paths_json: '[]',
      file_count: 1,
      bytes_expected: 10,
      bytes_transferred: 10,
      client: 'http-gateway',
      status: STATUSES[i % 3]!,
      node_transfer_id: null,
      error: null,
      created_at: T0 + i * HOUR,
      updated_at: T0 + i * HOUR,
      started_at: null,
      ended_at: null,
    }));
    await t.db.insertInto('transfers').values(rows).execute();
  });
  afterAll(() => t?.close());

  it('filters by user and status together, newest first', async () => {
    // bob's (even) and failed (i % 3 == 1): 4, 10, 16, 22.
    expect(await ids(`userId=${bobId}&status=failed`)).toEqual([name(22), name(16), name(10), name(4)]);
  });

  it('filters by space and by a date range (from inclusive, before exclusive)', async () => {
    expect(await ids('spaceId=space-a&limit=100')).toHaveLength(12);
    const from = new Date(T0 + 5 * HOUR).toISOString();
    const before = new Date(T0 + 8 * HOUR).toISOString();
    expect(await ids(`from=${from}&before=${before}`)).toEqual([name(7), name(6), name(5)]);
  });

  it('pages back with before, each transfer once', async () => {
    const first = await ids('spaceId=space-b&limit=5');
    expect(first).toEqual([23, 22, 21, 20, 19].map(name));
    const last = (await api(admin, 'GET', '/api/transfers?all=true&spaceId=space-b&limit=5')).json.transfers as Array<{
      createdAt: string;
    }>;
    const next = await ids(`spaceId=space-b&limit=5&before=${last.at(-1)!.createdAt}`);
    expect(next).toEqual([18, 17, 16, 15, 14].map(name));
  });

  it('refuses a bad date with 400 and a non-admin with 403', async () => {
    expect((await api(admin, 'GET', '/api/transfers?all=true&from=monday')).status).toBe(400);
    expect(await api(bob, 'GET', '/api/transfers?all=true')).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    expect(await api(bob, 'GET', `/api/transfers?userId=${bobId}`)).toMatchObject({ status: 403 });
  });
});
