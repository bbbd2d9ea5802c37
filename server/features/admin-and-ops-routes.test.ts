/**
 * The admin and file-operation routes, asserted on what they answer and what they change: per-path
 * delete results, renames, a removed member's lost access, node registration, test and removal,
 * and an admin's view of everyone's transfers. Against the embedded node in its own process.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../test-kit/courier-process';
import { createTestApp, embeddedNodeOf, type LoggedIn, type TestApp } from '../test/test-app';
import { DIALECTS } from '../test/test-database';

type Who = LoggedIn;

describe.each(DIALECTS)('admin and file routes on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  let admin: Who;
  let bob: Who;
  let bobId: string;
  let spaceId: string;

  const api: TestApp['api'] = (...args) => t.api(...args);
  const names = async (path = '/') =>
    ((await api(admin, 'GET', `/api/spaces/${spaceId}/files?path=${encodeURIComponent(path)}`)).json.items as Array<{ name: string }>)
      .map((i) => i.name)
      .sort();

  beforeAll(async () => {
    node = await startNodeProcess();
    t = await createTestApp(dialect, {}, { embeddedNode: embeddedNodeOf(node) });
    admin = await t.login('alice');
    bob = await t.login('bob');
    bobId = ((await api(admin, 'GET', '/api/users')).json.users as Array<{ id: string; username: string }>).find(
      (u) => u.username === 'bob',
    )!.id;
    spaceId = (await api(admin, 'POST', '/api/spaces', { name: `Ops ${randomBytes(4).toString('hex')}` })).json.id as string;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await node?.stop();
  });

  it('deletes a mix of present and missing paths, answering each path for itself', async () => {
    for (const path of ['/keep', '/gone-1', '/gone-2'])
      expect((await api(admin, 'POST', `/api/spaces/${spaceId}/folders`, { path })).status).toBe(201);
    const deleted = await api(admin, 'POST', `/api/spaces/${spaceId}/delete`, { paths: ['/gone-1', '/never-was', '/gone-2'] });
    expect(deleted.status).toBe(200);
    expect(deleted.json.results).toEqual([
      { path: '/gone-1', ok: true },
      { path: '/never-was', ok: false, error: { code: 'PATH_NOT_FOUND', message: expect.stringContaining('/never-was') } },
      { path: '/gone-2', ok: true },
    ]);
    expect(await names()).toEqual(['keep']);
  });

  it('renames, and refuses a taken name and a missing source with their own codes', async () => {
    await api(admin, 'POST', `/api/spaces/${spaceId}/folders`, { path: '/draft' });
    expect(await api(admin, 'POST', `/api/spaces/${spaceId}/rename`, { path: '/draft', newName: 'final' })).toEqual({
      status: 200,
      json: { path: '/final' },
    });
    expect((await api(admin, 'POST', `/api/spaces/${spaceId}/rename`, { path: '/final', newName: 'keep' })).json.code).toBe('NAME_TAKEN');
    expect((await api(admin, 'POST', `/api/spaces/${spaceId}/rename`, { path: '/nowhere', newName: 'x' })).json.code).toBe(
      'PATH_NOT_FOUND',
    );
    expect(await names()).toEqual(['final', 'keep']);
  });

  it('takes a removed member out of the space at once', async () => {
    expect(
      (await api(admin, 'PUT', `/api/spaces/${spaceId}/members`, { principalType: 'user', principalId: bobId, role: 'viewer' })).status,
    ).toBe(200);
    expect((await api(bob, 'GET', `/api/spaces/${spaceId}/files?path=/`)).status).toBe(200);
    expect((await api(admin, 'DELETE', `/api/spaces/${spaceId}/members/user/${bobId}`)).status).toBe(204);
    expect((await api(admin, 'GET', `/api/spaces/${spaceId}/members`)).json.members).toEqual([]);
    expect((await api(bob, 'GET', `/api/spaces/${spaceId}/files?path=/`)).json.code).toBe('SPACE_NOT_FOUND');
    expect(((await api(bob, 'GET', '/api/spaces')).json.spaces as Array<{ id: string }>).map((s) => s.id)).not.toContain(spaceId);
    expect((await api(admin, 'DELETE', `/api/spaces/${spaceId}/members/user/${bobId}`)).status).toBe(404);
  });

  it('registers a node, tests it with its credentials, and removes it only when no space uses it', async () => {
    const good = await api(admin, 'POST', '/api/nodes', {
      name: 'second',
      url: node.url,
      username: node.username,
      secret: node.password,
      gatewayUrl: node.gatewayUrl,
      kind: 'embedded',
    });
    expect(good.status).toBe(201);
    expect(good.json).toEqual({
      id: expect.any(String),
      name: 'second',
      url: node.url,
      username: node.username,
      gatewayUrl: node.gatewayUrl,
      verifyTls: true,
      kind: 'embedded',
      isDefault: false,
      authType: 'node_user',
      bearerTokens: false,
      packagesRoot: null,
    });
    const tested = await api(admin, 'POST', `/api/nodes/${good.json.id as string}/test`);
    expect(tested).toMatchObject({
      status: 200,
      json: { ok: true, info: { version: expect.any(String), transferUser: expect.any(String) } },
    });

    // Tested before it is saved: wrong credentials are refused with the node's own reason, and nothing is stored.
    const wrong = await api(admin, 'POST', '/api/nodes', {
      name: 'wrong',
      url: node.url,
      username: node.username,
      secret: 'not-the-password',
      kind: 'embedded',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.message).toMatch(/^The node did not accept these settings: the node refused the credentials \(HTTP 401: .+\)\.$/);
    expect(((await api(admin, 'GET', '/api/nodes')).json.nodes as Array<{ name: string }>).map((n) => n.name)).not.toContain('wrong');
    const unused = await api(admin, 'POST', '/api/nodes', {
      name: 'unused',
      url: node.url,
      username: node.username,
      secret: node.password,
    });
    expect(unused.status).toBe(201);
    await t.db
      .updateTable('nodes')
      .set({ url: 'http://127.0.0.1:9' })
      .where('id', '=', unused.json.id as string)
      .execute();
    expect(await api(admin, 'POST', `/api/nodes/${unused.json.id as string}/test`)).toEqual({
      status: 200,
      json: { ok: false, message: 'unused: no answer (check the URL, the port and TLS settings)' },
    });

    const used = (await api(admin, 'POST', '/api/spaces', { name: `On second ${randomBytes(4).toString('hex')}`, nodeId: good.json.id }))
      .json;
    expect((await api(admin, 'DELETE', `/api/nodes/${good.json.id as string}`)).json.code).toBe('CONFLICT');
    expect(used.id).toEqual(expect.any(String));
    expect((await api(admin, 'DELETE', `/api/nodes/${unused.json.id as string}`)).status).toBe(204);
    expect(((await api(admin, 'GET', '/api/nodes')).json.nodes as Array<{ name: string }>).map((n) => n.name)).not.toContain('unused');
    expect((await api(admin, 'DELETE', `/api/nodes/${unused.json.id as string}`)).json.code).toBe('NODE_NOT_FOUND');
  });

  it("shows an admin everyone's transfers with all=true, and only their own without it", async () => {
    await api(admin, 'PUT', `/api/spaces/${spaceId}/members`, { principalType: 'user', principalId: bobId, role: 'contributor' });
    const bobs = await api(bob, 'POST', '/api/transfers', {
      spaceId,
      direction: 'upload',
      folder: '/',
      files: [{ path: 'b.txt', size: 1 }],
    });
    const alices = await api(admin, 'POST', '/api/transfers', {
      spaceId,
      direction: 'upload',
      folder: '/',
      files: [{ path: 'a.txt', size: 1 }],
    });
    const idsOf = async (who: Who, query: string) =>
      ((await api(who, 'GET', `/api/transfers${query}`)).json.transfers as Array<{ id: string }>).map((x) => x.id);
    const bobsId = (bobs.json.transfer as { id: string }).id;
    const alicesId = (alices.json.transfer as { id: string }).id;
    expect(await idsOf(admin, '?all=true')).toEqual(expect.arrayContaining([bobsId, alicesId]));
    expect(await idsOf(admin, '')).toEqual([alicesId]);
    expect(await idsOf(admin, `?all=true&userId=${bobId}`)).toEqual([bobsId]);
    expect(await idsOf(bob, '')).toEqual([bobsId]);
    expect((await api(bob, 'GET', '/api/transfers?all=true')).json.code).toBe('FORBIDDEN');
  });

  it('shows the mail queue to an admin only, with mail going to the outbox folder when no SMTP is set', async () => {
    expect(await api(bob, 'GET', '/api/admin/mail')).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    expect(await api(bob, 'POST', '/api/admin/mail/x/retry')).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    const mail = await api(admin, 'GET', '/api/admin/mail');
    expect(mail.status).toBe(200);
    expect(mail.json.destination).toEqual({ kind: 'outbox', folder: `${t.config.dataDir}/outbox` });
    expect(mail.json.from).toBe('Courier <courier@localhost>');
  });
});
