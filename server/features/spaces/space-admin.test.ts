import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { createTestApp, embeddedNodeOf, TEST_PASSWORD, type LoggedIn, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

type Space = { id: string; name: string; nodeName: string; rootPath: string; memberCount: number; personal: boolean };

// Issue 13: an admin lists, renames and deletes spaces; deleting keeps or deletes the folder on the node.
describe.each(DIALECTS)('admin spaces on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  let admin: LoggedIn;
  let manager: LoggedIn;
  let managerId: string;

  const api: TestApp['api'] = (...args) => t.api(...args);
  const onDisk = (rootPath: string, ...rest: string[]) => path.join(node.docroot, rootPath, ...rest);
  async function spaceWithFile(name: string, rootPath: string): Promise<string> {
    const created = await api(admin, 'POST', '/api/spaces', { name, rootPath });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const id = created.json.id as string;
    expect((await api(admin, 'POST', `/api/spaces/${id}/folders`, { path: '/inside' })).status).toBe(201);
    expect(existsSync(onDisk(rootPath, 'inside'))).toBe(true);
    return id;
  }
  const page = async (query: string) => (await api(admin, 'GET', `/api/admin/spaces${query}`)).json as { spaces: Space[]; total: number };

  beforeAll(async () => {
    node = await startNodeProcess();
    t = await createTestApp(dialect, {}, { embeddedNode: embeddedNodeOf(node) });
    admin = await t.login('alice');
    const user = await api(admin, 'POST', '/api/users', { username: 'mona', displayName: 'Mona', password: TEST_PASSWORD });
    managerId = user.json.id as string;
    manager = await t.login('mona');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await node?.stop();
  });

  it('lists every space with its node, folder and member count, searched and paged on the server', async () => {
    const id = await spaceWithFile('Listed Alpha', '/projects/listed-alpha');
    await spaceWithFile('Listed Beta', '/projects/listed-beta');
    await api(admin, 'PUT', `/api/spaces/${id}/members`, { principalType: 'user', principalId: managerId, role: 'manager' });

    const found = await page('?q=LISTED');
    expect(found.total).toBe(2);
    expect(found.spaces.map((s) => [s.name, s.rootPath, s.memberCount])).toEqual([
      ['Listed Alpha', '/projects/listed-alpha', 1],
      ['Listed Beta', '/projects/listed-beta', 0],
    ]);
    expect(found.spaces[0]?.nodeName).toBeTruthy();
    // Search by folder too; a LIKE wildcard in the search is taken literally.
    expect((await page('?q=projects/listed-b')).spaces.map((s) => s.name)).toEqual(['Listed Beta']);
    expect((await page('?q=listed_')).total).toBe(0);
    // A personal space is found by its owner's username, and named after them.
    await api(manager, 'GET', '/api/spaces');
    expect((await page('?q=MONA')).spaces.map((s) => [s.name, s.personal])).toEqual([["mona's files", true]]);
    const second = await page('?q=listed&offset=1&limit=1');
    expect([second.total, second.spaces.map((s) => s.name)]).toEqual([2, ['Listed Beta']]);
  });

  it('renames a space and leaves its folder and files where they were', async () => {
    const id = await spaceWithFile('Before', '/projects/before');
    const renamed = await api(admin, 'PATCH', `/api/spaces/${id}`, { name: 'After' });
    expect(renamed).toMatchObject({ status: 200, json: { id, name: 'After' } });
    expect((await page('?q=after')).spaces.map((s) => [s.name, s.rootPath])).toEqual([['After', '/projects/before']]);
    expect(existsSync(onDisk('/projects/before', 'inside'))).toBe(true);
  });

  it('refuses a rename to a name another space has, or a blank one', async () => {
    const id = await spaceWithFile('Unique One', '/projects/unique-one');
    await spaceWithFile('Unique Two', '/projects/unique-two');
    expect(await api(admin, 'PATCH', `/api/spaces/${id}`, { name: 'UNIQUE TWO' })).toMatchObject({
      status: 409,
      json: { code: 'NAME_TAKEN' },
    });
    expect((await api(admin, 'PATCH', `/api/spaces/${id}`, { name: '   ' })).status).toBe(400);
    expect((await api(admin, 'PATCH', `/api/spaces/${id}`, { name: 'Unique One' })).status).toBe(200);
  });

  it('deletes a space keeping its files on the node', async () => {
    const id = await spaceWithFile('Keep Me', '/projects/keep-me');
    expect((await api(admin, 'DELETE', `/api/spaces/${id}?files=keep`)).status).toBe(204);
    expect((await api(admin, 'GET', `/api/spaces/${id}`)).status).toBe(404);
    expect(existsSync(onDisk('/projects/keep-me', 'inside'))).toBe(true);
  });

  it('deletes a space and its files only with the name typed exactly', async () => {
    const id = await spaceWithFile('Drop Me', '/projects/drop-me');
    for (const confirm of ['', '?confirmName=drop%20me', '?confirmName=Drop'])
      expect(await api(admin, 'DELETE', `/api/spaces/${id}?files=delete${confirm ? `&${confirm.slice(1)}` : ''}`)).toMatchObject({
        status: 400,
        json: { code: 'VALIDATION_FAILED' },
      });
    expect(existsSync(onDisk('/projects/drop-me', 'inside'))).toBe(true);
    expect((await api(admin, 'DELETE', `/api/spaces/${id}?files=delete&confirmName=Drop%20Me`)).status).toBe(204);
    expect((await api(admin, 'GET', `/api/spaces/${id}`)).status).toBe(404);
    expect(existsSync(onDisk('/projects/drop-me'))).toBe(false);
  });

  it('refuses deleting the files of a folder another space lies inside', async () => {
    const outer = await spaceWithFile('Outer', '/nest/outer');
    // Only spaces from before roots were checked can nest (migration 0004); make one as they were.
    const nodeId = (await t.db.selectFrom('spaces').select('node_id').where('id', '=', outer).executeTakeFirstOrThrow()).node_id;
    await t.db
      .insertInto('spaces')
      .values({
        id: 'legacy-inner',
        name: 'Inner',
        node_id: nodeId,
        root_path: '/nest/outer/inside',
        owner_user_id: null,
        created_at: Date.now(),
      })
      .execute();
    const refused = await api(admin, 'DELETE', `/api/spaces/${outer}?files=delete&confirmName=Outer`);
    expect(refused.status).toBe(409);
    expect(refused.json.message).toContain('"Inner"');
    expect(existsSync(onDisk('/nest/outer', 'inside'))).toBe(true);
  });

  it('refuses every admin space action to a non-admin, even the manager of the space, and audits it', async () => {
    const id = await spaceWithFile('Managed', '/projects/managed');
    await api(admin, 'PUT', `/api/spaces/${id}/members`, { principalType: 'user', principalId: managerId, role: 'manager' });
    expect(await api(manager, 'GET', '/api/admin/spaces')).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    expect(await api(manager, 'PATCH', `/api/spaces/${id}`, { name: 'Mine' })).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    expect(await api(manager, 'DELETE', `/api/spaces/${id}?files=delete&confirmName=Managed`)).toMatchObject({
      status: 403,
      json: { code: 'FORBIDDEN' },
    });
    expect(existsSync(onDisk('/projects/managed', 'inside'))).toBe(true);
    expect(await api(manager, 'POST', '/api/spaces', { name: 'Not allowed' })).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    const log = (await api(admin, 'GET', '/api/audit?limit=500')).json.entries as Array<{
      action: string;
      decision: string;
      target: string | null;
    }>;
    // Creating is audited too: the space made here (allowed), the one refused.
    expect(log.filter((e) => e.action === 'space.create').map((e) => `${e.target ?? ''}:${e.decision}`)).toEqual(
      expect.arrayContaining(['Managed:allow', 'Not allowed:deny']),
    );
    expect(log.filter((e) => e.action === 'space.delete').map((e) => e.decision)).toContain('deny');
    expect(log.filter((e) => e.action === 'space.rename').map((e) => e.decision)).toEqual(expect.arrayContaining(['allow', 'deny']));
  });

  it('finds people and groups to add for a manager of the space only', async () => {
    const id = await spaceWithFile('Lookup', '/projects/lookup');
    await api(admin, 'PUT', `/api/spaces/${id}/members`, { principalType: 'user', principalId: managerId, role: 'manager' });
    const olgaId = (await api(admin, 'POST', '/api/users', { username: 'olga', displayName: 'Olga Finder', password: TEST_PASSWORD })).json
      .id as string;
    await api(admin, 'POST', '/api/groups', { name: 'Finders' });
    const found = await api(manager, 'GET', `/api/spaces/${id}/member-candidates?q=FINDER`);
    expect(found.status).toBe(200);
    expect(
      (found.json.candidates as Array<{ principalType: string; name: string; username: string | null }>).map((c) => [
        c.principalType,
        c.name,
        c.username,
      ]),
    ).toEqual([
      ['user', 'Olga Finder', 'olga'],
      ['group', 'Finders', null],
    ]);
    const olga = await t.login('olga');
    await api(admin, 'PUT', `/api/spaces/${id}/members`, {
      principalType: 'user',
      principalId: olgaId,
      role: 'contributor',
    });
    expect(await api(olga, 'GET', `/api/spaces/${id}/member-candidates?q=mona`)).toMatchObject({
      status: 403,
      json: { code: 'FORBIDDEN' },
    });
    expect((await api(olga, 'GET', `/api/spaces/${id}/member-candidates?q=`)).status).toBe(400);
  });

  it('a manager adds a member, who then sees the space, and removes them, who then does not', async () => {
    const id = await spaceWithFile('Team Space', '/projects/team-space');
    await api(admin, 'PUT', `/api/spaces/${id}/members`, { principalType: 'user', principalId: managerId, role: 'manager' });
    const newcomer = await api(admin, 'POST', '/api/users', { username: 'nico', displayName: 'Nico', password: TEST_PASSWORD });
    const nico = await t.login('nico');
    const added = await api(manager, 'PUT', `/api/spaces/${id}/members`, {
      principalType: 'user',
      principalId: newcomer.json.id,
      role: 'viewer',
    });
    expect(added.status).toBe(200);
    expect((await api(nico, 'GET', `/api/spaces/${id}/files?path=%2F`)).status).toBe(200);
    expect((await api(manager, 'DELETE', `/api/spaces/${id}/members/user/${newcomer.json.id as string}`)).status).toBe(204);
    expect((await api(nico, 'GET', `/api/spaces/${id}/files?path=%2F`)).status).toBe(404);
  });
});
