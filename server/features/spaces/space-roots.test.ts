import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { gatewayUpload } from '../../../test-kit/gateway-upload';
import { createTestApp, embeddedNodeOf, TEST_PASSWORD, type LoggedIn, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

type Who = LoggedIn;
type Json = { code?: string; message?: string } & Record<string, unknown>;

// Issue 10, item 1: a space's folder was a slug of its name, so spaces whose names slugged alike
// shared one folder, and admin-given folders could lie inside other spaces.
describe.each(DIALECTS)('each space has a folder of its own, on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  let admin: Who;

  const api: TestApp['api'] = (...args) => t.api(...args);
  const createSpace = (body: { name: string; rootPath?: string }) => api(admin, 'POST', '/api/spaces', body);
  const rootOf = async (spaceId: string) =>
    (await t.db.selectFrom('spaces').select('root_path').where('id', '=', spaceId).executeTakeFirstOrThrow()).root_path;
  async function newUser(username: string): Promise<{ id: string; who: Who }> {
    const created = await api(admin, 'POST', '/api/users', { username, displayName: username, password: TEST_PASSWORD });
    expect(created.status).toBe(201);
    return { id: created.json.id as string, who: await t.login(username) };
  }
  /** A space made the way installations before migration 0004 could hold it: no checks, no root key. */
  // Spaces made in one millisecond would be ordered by their random ids: give each its own time.
  let made = Date.now();
  async function legacySpace(name: string, rootPath: string): Promise<string> {
    const nodeId = (await t.db.selectFrom('nodes').select('id').executeTakeFirstOrThrow()).id;
    const id = randomUUID();
    await t.db
      .insertInto('spaces')
      .values({ id, name, node_id: nodeId, root_path: rootPath, owner_user_id: null, created_at: (made += 1) })
      .execute();
    return id;
  }
  const names = (listing: { json: Json }) => ((listing.json.items ?? []) as Array<{ name: string }>).map((i) => i.name);

  beforeAll(async () => {
    node = await startNodeProcess();
    t = await createTestApp(dialect, {}, { embeddedNode: embeddedNodeOf(node) });
    admin = await t.login('alice');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await node?.stop();
  });

  it.each([
    ['Project X', 'project-x', 'vx'],
    ['Ärzte', 'arzte', 'va'],
    ['財務', '人事', 'vz'],
  ])('a viewer of "%s" cannot list or download a file put in "%s" (names that slugged alike)', async (nameA, nameB, viewerName) => {
    const a = await createSpace({ name: nameA });
    const b = await createSpace({ name: nameB });
    expect([a.status, b.status]).toEqual([201, 201]);

    const upload = await api(admin, 'POST', '/api/transfers', {
      spaceId: a.json.id,
      direction: 'upload',
      folder: '/',
      files: [{ path: 'secret.txt', size: 7 }],
    });
    expect(upload.status).toBe(201);
    expect(
      (await gatewayUpload(node.gatewayUrl, upload.json.transferSpec as Record<string, unknown>, [{ path: 'secret.txt', data: 'payroll' }]))
        .status,
    ).toBeLessThan(400);
    expect(names(await api(admin, 'GET', `/api/spaces/${a.json.id as string}/files?path=/`))).toEqual(['secret.txt']);

    const viewer = await newUser(viewerName);
    expect(
      (
        await api(admin, 'PUT', `/api/spaces/${b.json.id as string}/members`, {
          principalType: 'user',
          principalId: viewer.id,
          role: 'viewer',
        })
      ).status,
    ).toBe(200);
    const listing = await api(viewer.who, 'GET', `/api/spaces/${b.json.id as string}/files?path=/`);
    expect(listing.status).toBe(200);
    expect(names(listing)).toEqual([]);
    const download = await api(viewer.who, 'POST', '/api/transfers', { spaceId: b.json.id, direction: 'download', paths: ['/secret.txt'] });
    expect(download.status).toBe(404);
    expect(download.json.code).toBe('PATH_NOT_FOUND');
    expect(await rootOf(a.json.id as string)).not.toBe(await rootOf(b.json.id as string));
  });

  it("refuses an admin-given folder inside, around or equal to another space's, naming that space", async () => {
    const alpha = await createSpace({ name: 'Alpha', rootPath: '/projects/alpha' });
    expect(alpha.status).toBe(201);
    for (const rootPath of [
      '/projects/alpha/docs',
      '/projects',
      '/projects/alpha',
      '/PROJECTS/Alpha',
      '/projects//alpha/./',
      '/projects/ＡＬＰＨＡ/x',
    ]) {
      const refused = await createSpace({ name: `Other ${rootPath}`, rootPath });
      expect(refused.status, rootPath).toBe(409);
      expect(refused.json.code).toBe('SPACE_ROOT_OVERLAPS');
      expect(refused.json.message).toContain('the space "Alpha" (/projects/alpha)');
    }
    expect((await createSpace({ name: 'Alphabet', rootPath: '/projects/alphabet' })).status).toBe(201);
  });

  it('refuses a folder inside a generated one, and one spelled in another Unicode form', async () => {
    const gamma = await createSpace({ name: 'Gamma' });
    const root = await rootOf(gamma.json.id as string);
    expect(root).toMatch(/^\/spaces\/gamma-[0-9a-f]{6}$/);
    const inside = await createSpace({ name: 'Inside gamma', rootPath: `${root}/docs` });
    expect([inside.status, inside.json.code]).toEqual([409, 'SPACE_ROOT_OVERLAPS']);
    expect(inside.json.message).toContain('the space "Gamma"');

    expect((await createSpace({ name: 'Été NFC', rootPath: '/archive/\u00e9t\u00e9' })).status).toBe(201);
    const nfd = await createSpace({ name: 'Été NFD', rootPath: '/archive/e\u0301te\u0301' });
    expect([nfd.status, nfd.json.code]).toEqual([409, 'SPACE_ROOT_OVERLAPS']);
  });

  it("refuses /home and everything under it, where personal spaces live, and the parents of every space's folder", async () => {
    expect((await api(await t.login('bob'), 'GET', '/api/spaces')).status).toBe(200);
    for (const rootPath of ['/home/bob', '/home/bob/docs', '/home', '/Home/nobody-yet', '/spaces', '/SPACES/', '/']) {
      const refused = await createSpace({ name: `Reserved ${rootPath}`, rootPath });
      expect(refused.status, rootPath).toBe(400);
      expect(refused.json.code).toBe('INVALID_PATH');
    }
  });

  it('gives a personal space a folder of its own when a shared space from before already holds /home/<username>', async () => {
    const legacyId = await legacySpace('Old carol share', '/home/carol');
    expect((await api(admin, 'POST', `/api/spaces/${legacyId}/folders`, { path: '/shared-by-mistake' })).status).toBe(201);
    const carol = await newUser('carol');
    const own = ((await api(carol.who, 'GET', '/api/spaces')).json.spaces as Array<{ id: string; personal: boolean }>).find(
      (s) => s.personal,
    );
    expect(own).toBeDefined();
    const listing = await api(carol.who, 'GET', `/api/spaces/${own!.id}/files?path=/`);
    expect(listing.status).toBe(200);
    expect(names(listing)).toEqual([]);
    expect(await rootOf(own!.id)).toMatch(/^\/home\/carol-[0-9a-f]{6}$/);
  });

  it('refuses a second space with the same name, whatever its case, width, spacing or invisible characters', async () => {
    expect((await createSpace({ name: 'Finance' })).status).toBe(201);
    for (const name of ['Finance', 'finance', ' FINANCE ', 'Ｆｉｎａｎｃｅ', 'Fi\u200Bnance', 'F\u00ADinance']) {
      const refused = await createSpace({ name });
      expect(refused.status, name).toBe(409);
      expect(refused.json).toMatchObject({ code: 'NAME_TAKEN', message: 'A space named "Finance" exists; choose another name.' });
    }
    expect((await createSpace({ name: 'Finances' })).status).toBe(201);
  });

  it('lets concurrent creates of one name make one space, and of nested folders one space, never a shared folder', async () => {
    const sameName = await Promise.all(Array.from({ length: 6 }, () => createSpace({ name: 'Race' })));
    expect(sameName.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);

    const nested = await Promise.all(
      ['/race', '/race/a', '/race/a/b', '/RACE/a', '/race/a/b/c'].map((rootPath, i) => createSpace({ name: `Nested race ${i}`, rootPath })),
    );
    expect(nested.filter((r) => r.status === 201)).toHaveLength(1);
    expect(nested.filter((r) => r.status !== 201).map((r) => r.json.code)).toEqual([
      'SPACE_ROOT_OVERLAPS',
      'SPACE_ROOT_OVERLAPS',
      'SPACE_ROOT_OVERLAPS',
      'SPACE_ROOT_OVERLAPS',
    ]);

    const alike = await Promise.all(['Race two', 'race-two', 'RACE_TWO', 'race.two'].map((name) => createSpace({ name })));
    expect(alike.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const roots = await Promise.all(alike.map((r) => rootOf(r.json.id as string)));
    expect(new Set(roots.map((r) => r.toLowerCase())).size).toBe(4);
  });

  it('lists spaces that share a folder from before to admins only, and warns of them at every start', async () => {
    const first = await legacySpace('Old reports', '/legacy/reports');
    const second = await legacySpace('old-reports', '/legacy/reports');
    const inner = await legacySpace('Old reports 2020', '/Legacy/Reports/2020');
    const bob = await t.login('bob');
    const refused = await api(bob, 'GET', '/api/admin/space-conflicts');
    expect([refused.status, refused.json.code]).toEqual([403, 'FORBIDDEN']);

    const listed = await api(admin, 'GET', '/api/admin/space-conflicts');
    expect(listed.status).toBe(200);
    const conflicts = (
      listed.json.conflicts as Array<{ kind: string; nodeName: string; spaces: Array<{ id: string; rootPath: string }> }>
    ).map((c) => [c.kind, c.spaces.map((s) => s.id)]);
    expect(conflicts).toEqual(
      expect.arrayContaining([
        ['same-folder', [first, second]],
        ['nested', [first, inner]],
        ['nested', [second, inner]],
      ]),
    );
    expect(conflicts).toHaveLength(3);

    const lines: string[] = [];
    const stream = new Writable({ write: (chunk: Buffer, _enc, done) => done(void lines.push(chunk.toString())) });
    const restarted = await buildApp({ config: t.config, db: t.db, secretKey: Buffer.alloc(32), logger: { level: 'warn', stream } });
    await restarted.ready();
    await restarted.close();
    const warning = lines
      .map((l) => JSON.parse(l) as { msg: string; conflicts: string[] })
      .find((l) => l.msg.includes('space folder conflict'));
    expect(warning?.msg).toContain('3 space folder conflict(s)');
    expect(warning?.conflicts).toContain('same-folder on embedded: "Old reports" (/legacy/reports) / "old-reports" (/legacy/reports)');
  });
});
