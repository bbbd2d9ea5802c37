/**
 * The admin audit log: filters (who, action, decision, time range) with server-side paging, and
 * the CSV export of the same filter, quoted and safe to open in a spreadsheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type LoggedIn, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';
import { createAuditLog } from './audit-log';
import { csvField } from './csv';
import { parseCsv } from '../../../test-kit/parse-csv';

const T0 = Date.parse('2026-03-01T00:00:00Z');

describe('csvField', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=1+2')).toBe("'=1+2");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });
});

describe.each(DIALECTS)('admin audit log on %s', (dialect) => {
  let t: TestApp;
  let admin: LoggedIn;
  let bob: LoggedIn;
  let aliceId: string;
  let bobId: string;
  const api: TestApp['api'] = (...args) => t.api(...args);
  const get = (who: LoggedIn, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.login('alice');
    bob = await t.login('bob');
    const ids = await t.db.selectFrom('users').select(['id', 'username']).execute();
    aliceId = ids.find((u) => u.username === 'alice')!.id;
    bobId = ids.find((u) => u.username === 'bob')!.id;
    // 30 of bob's (every third denied) and 5 of alice's, a minute apart from T0, oldest first.
    const rows = [];
    for (let i = 0; i < 35; i++) {
      const mine = i < 30;
      rows.push({
        id: `seed-${String(i).padStart(2, '0')}`,
        at: T0 + i * 60_000,
        user_id: mine ? bobId : aliceId,
        action: mine ? (i % 2 ? 'download' : 'upload') : 'space-create',
        space_id: null,
        target: i === 3 ? '=HYPERLINK("http://evil","click"), and "more"\nline' : `/file-${i}`,
        decision: (mine && i % 3 === 0 ? 'deny' : 'allow') as 'allow' | 'deny',
        reason: mine && i % 3 === 0 ? 'viewer may not upload' : null,
      });
    }
    await t.db.insertInto('audit_log').values(rows).execute();
  });
  afterAll(() => t?.close());

  const seeded = '&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z';

  it("filters to one user's denied actions, newest first, with names and the matching count", async () => {
    const { status, json } = await api(admin, 'GET', `/api/admin/audit?userId=${bobId}&decision=deny${seeded}`);
    expect(status).toBe(200);
    const entries = json.entries as Array<Record<string, unknown>>;
    expect(json.total).toBe(10);
    expect(entries.map((e) => e.id)).toEqual([27, 24, 21, 18, 15, 12, 9, 6, 3, 0].map((i) => `seed-${String(i).padStart(2, '0')}`));
    expect(entries[0]).toEqual({
      id: 'seed-27',
      at: new Date(T0 + 27 * 60_000).toISOString(),
      userId: bobId,
      username: 'bob',
      action: 'download',
      spaceId: null,
      target: '/file-27',
      decision: 'deny',
      reason: 'viewer may not upload',
    });
    expect(json.actions).toEqual(expect.arrayContaining(['download', 'space-create', 'upload']));
  });

  it('filters by action and by a time range (from inclusive, to exclusive)', async () => {
    const byAction = await api(admin, 'GET', `/api/admin/audit?action=space-create${seeded}`);
    expect(byAction.json.total).toBe(5);
    expect((byAction.json.entries as Array<{ userId: string }>).every((e) => e.userId === aliceId)).toBe(true);

    const from = new Date(T0 + 10 * 60_000).toISOString();
    const to = new Date(T0 + 13 * 60_000).toISOString();
    const range = await api(admin, 'GET', `/api/admin/audit?from=${from}&to=${to}`);
    expect((range.json.entries as Array<{ id: string }>).map((e) => e.id)).toEqual(['seed-12', 'seed-11', 'seed-10']);
  });

  it('pages on the server: offset and limit over a stable order, the total unchanged', async () => {
    const first = await api(admin, 'GET', `/api/admin/audit?userId=${bobId}&limit=12${seeded}`);
    const second = await api(admin, 'GET', `/api/admin/audit?userId=${bobId}&limit=12&offset=12${seeded}`);
    const third = await api(admin, 'GET', `/api/admin/audit?userId=${bobId}&limit=12&offset=24${seeded}`);
    expect([first.json.total, second.json.total, third.json.total]).toEqual([30, 30, 30]);
    const ids = [first, second, third].flatMap((p) => (p.json.entries as Array<{ id: string }>).map((e) => e.id));
    expect(ids).toHaveLength(30);
    expect(ids).toEqual(Array.from({ length: 30 }, (_, k) => `seed-${String(29 - k).padStart(2, '0')}`));
  });

  it('refuses bad filters with a clear 400', async () => {
    for (const query of [
      'decision=maybe',
      'from=yesterday',
      'limit=0',
      'limit=201',
      'offset=-1',
      `from=${new Date(T0).toISOString()}&to=${new Date(T0).toISOString()}`,
    ]) {
      const refused = await api(admin, 'GET', `/api/admin/audit?${query}`);
      expect(refused.status, query).toBe(400);
      expect(refused.json.message, query).toEqual(expect.any(String));
    }
  });

  it('exports the filtered rows as CSV, quoted, formulas defused, and audits the export', async () => {
    const response = await get(admin, `/api/admin/audit.csv?userId=${bobId}&decision=deny${seeded}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="courier-audit.csv"');
    const rows = parseCsv(response.body);
    expect(rows[0]).toEqual(['time', 'user id', 'username', 'action', 'decision', 'space id', 'target', 'reason']);
    expect(rows).toHaveLength(11);
    expect(rows.slice(1).every((r) => r[1] === bobId && r[2] === 'bob' && r[4] === 'deny')).toBe(true);
    expect(rows.at(-1)).toEqual([new Date(T0).toISOString(), bobId, 'bob', 'upload', 'deny', '', '/file-0', 'viewer may not upload']);
    expect(rows.find((r) => r[6]!.includes('HYPERLINK'))?.[6]).toBe(`'=HYPERLINK("http://evil","click"), and "more"\nline`);

    const exported = await api(admin, 'GET', '/api/admin/audit?action=audit-export');
    expect((exported.json.entries as Array<{ userId: string; decision: string }>)[0]).toMatchObject({ userId: aliceId, decision: 'allow' });
  });

  it('exports in batches by keyset, each row once in the page order, rows sharing a time included', async () => {
    // Three more at one instant: a batch boundary falls among them.
    await t.db
      .insertInto('audit_log')
      .values(
        ['tie-a', 'tie-b', 'tie-c'].map((id) => ({
          id,
          at: T0 + 100 * 60_000,
          user_id: bobId,
          action: 'rename',
          decision: 'allow' as const,
        })),
      )
      .execute();
    const filter = { userId: bobId, from: T0, to: T0 + 86_400_000 };
    const exported: string[] = [];
    for await (const row of createAuditLog(t.db).each(filter, 4)) exported.push(row.id);
    const paged = await createAuditLog(t.db).page({ ...filter, offset: 0, limit: 200 });
    expect(paged.total).toBe(33);
    expect(exported).toEqual(paged.rows.map((r) => r.id));
    expect(exported.slice(0, 3)).toEqual(['tie-a', 'tie-b', 'tie-c']);
  });

  it('refuses a non-admin with 403 on the log and the export, and audits the refusal', async () => {
    expect((await api(bob, 'GET', '/api/admin/audit')).status).toBe(403);
    const csv = await get(bob, '/api/admin/audit.csv');
    expect(csv.statusCode).toBe(403);
    expect(csv.json()).toMatchObject({ code: 'FORBIDDEN' });
    const denied = await api(admin, 'GET', `/api/admin/audit?userId=${bobId}&action=audit-export&decision=deny`);
    expect(denied.json.total).toBe(1);
  });
});
