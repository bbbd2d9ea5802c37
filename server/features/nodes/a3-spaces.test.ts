import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { gatewayDownload } from '../../../test-kit/gateway-download';
import { gatewayUpload } from '../../../test-kit/gateway-upload';
import { signBearerToken } from '../../lib/bearer-token';
import { createSecretBox } from '../../lib/secret-box';
import { createTestApp, embeddedNodeOf, TEST_PASSWORD, type LoggedIn, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

// Issue 16, the portal's A3 (docs/node-api.md §6.5): on an access-key node with the portal's signing
// key, space roles are node permissions and each person acts with a bearer token of their own, so
// the node refuses what the role does not allow even when the portal is left out.
describe.each(DIALECTS)('spaces on an A3 node, on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  let admin: LoggedIn;
  let bob: LoggedIn;
  let carol: LoggedIn;
  let bobId: string;
  let carolId: string;
  let key: { id: string; secret: string };
  let nodeId: string;
  let spaceId: string;
  const secretKey = randomBytes(32);
  const data = Buffer.from('a file for the team\n'.repeat(50));

  const asKey = () => 'Basic ' + Buffer.from(`${key.id}:${key.secret}`).toString('base64');
  /** A call straight to the node, the portal left out. */
  const onNode = (method: string, route: string, auth: string, body?: unknown) =>
    fetch(`${node.url}${route}`, {
      method,
      headers: {
        authorization: auth,
        'x-aspera-accesskey': key.id,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const bearer = (token: string) => `Bearer ${token}`;
  /** The bearer token a portal spec carries (the A3 spec's `token` is `Bearer <token>`). */
  const tokenOf = (spec: unknown) => {
    const token = (spec as { token: string }).token;
    expect(token).toMatch(/^Bearer [A-Za-z0-9+/]+=*$/);
    return token.slice('Bearer '.length);
  };
  const folderId = async (name: string) => {
    const res = await onNode('GET', `/files/${(await self()).root_file_id}/files`, asKey());
    return ((await res.json()) as Array<{ id: string; name: string }>).find((e) => e.name === name)!.id;
  };
  const self = async () =>
    (await (await onNode('GET', '/access_keys/self', asKey())).json()) as { root_file_id: string; token_verification_key?: string };
  const uploadFor = (who: LoggedIn, name: string) =>
    t.api(who, 'POST', '/api/transfers', { spaceId, direction: 'upload', folder: '/', files: [{ path: name, size: data.length }] });
  const downloadSetupAs = (token: string, source: string) =>
    onNode('POST', '/files/download_setup', bearer(token), { transfer_requests: [{ transfer_request: { paths: [{ source }] } }] });

  beforeAll(async () => {
    node = await startNodeProcess();
    await mkdir(path.join(node.docroot, 'tenant'), { recursive: true });
    const res = await fetch(`${node.url}/access_keys`, {
      method: 'POST',
      headers: {
        authorization: 'Basic ' + Buffer.from(`${node.username}:${node.password}`).toString('base64'),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ storage: { type: 'local', path: '/tenant' } }),
    });
    key = (await res.json()) as { id: string; secret: string };
    t = await createTestApp(dialect, {}, { secretKey, embeddedNode: embeddedNodeOf(node) });
    admin = await t.login('alice');
    bob = await t.login('bob');
    const users = (await t.api(admin, 'GET', '/api/users')).json.users as Array<{ id: string; username: string }>;
    bobId = users.find((u) => u.username === 'bob')!.id;
    carolId = (await t.api(admin, 'POST', '/api/users', { username: 'carol', displayName: 'Carol', password: TEST_PASSWORD })).json
      .id as string;
    carol = await t.login('carol');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await node?.stop();
  });

  it('registers the node with A3: the public key goes to the access key, the private key stays sealed in the portal', async () => {
    const added = await t.api(admin, 'POST', '/api/nodes', {
      name: 'A3 node',
      url: node.url,
      gatewayUrl: node.gatewayUrl,
      authType: 'access_key',
      username: key.id,
      secret: key.secret,
      bearerTokens: true,
    });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ authType: 'access_key', bearerTokens: true });
    nodeId = added.json.id as string;
    const row = await t.db.selectFrom('nodes').selectAll().where('id', '=', nodeId).executeTakeFirstOrThrow();
    const privatePem = createSecretBox(secretKey).open(row.token_key_sealed!);
    expect(privatePem).toContain('PRIVATE KEY');
    expect(row.token_key_sealed).not.toContain('PRIVATE KEY');
    expect((await self()).token_verification_key).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const listed = JSON.stringify([added.json, (await t.api(admin, 'GET', '/api/admin/nodes')).json]);
    expect(listed).not.toContain('PRIVATE KEY');
    expect(listed).not.toContain(privatePem.split('\n')[1]);
    // A3 needs an access key: the node user cannot carry one.
    const refused = await t.api(admin, 'POST', '/api/nodes', {
      name: 'not A3',
      url: node.url,
      username: node.username,
      secret: node.password,
      bearerTokens: true,
    });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toMatch(/access key/);
  });

  it('mirrors roles as node permissions on the space folder, and a member’s token uploads, lists and downloads', async () => {
    spaceId = (await t.api(admin, 'POST', '/api/spaces', { name: 'Team', nodeId, rootPath: '/team' })).json.id as string;
    expect(
      (await t.api(admin, 'PUT', `/api/spaces/${spaceId}/members`, { principalType: 'user', principalId: bobId, role: 'contributor' }))
        .status,
    ).toBe(200);
    const teamId = await folderId('team');
    const permissions = (await (await onNode('GET', `/permissions?file_id=${teamId}`, asKey())).json()) as Array<{
      access_type: string;
      access_id: string;
      access_levels: string[];
    }>;
    expect(permissions.map((p) => [p.access_type, p.access_id, p.access_levels.join(',')]).sort()).toEqual([
      ['group', 'courier-admins', 'delete,list,mkdir,preview,read,rename,write'],
      ['user', bobId, 'list,mkdir,preview,read,rename,write'],
    ]);

    const up = await uploadFor(bob, 'plan.txt');
    expect(up.status).toBe(201);
    const bobToken = tokenOf(up.json.transferSpec);
    expect(
      (await gatewayUpload(node.gatewayUrl, up.json.transferSpec as object, [{ path: 'plan.txt', data: new Blob([data]) }])).status,
    ).toBe(200);
    expect(await readFile(path.join(node.docroot, 'tenant/team/plan.txt'))).toEqual(data);

    const listing = await t.api(bob, 'GET', `/api/spaces/${spaceId}/files?path=/`);
    expect(listing.status).toBe(200);
    expect(listing.json.items).toEqual([expect.objectContaining({ name: 'plan.txt', path: '/plan.txt', type: 'file', size: data.length })]);
    // The same token, straight to the node: it lists the folder the role opens.
    const direct = await onNode('GET', `/files/${teamId}/files`, bearer(bobToken));
    expect(direct.status).toBe(200);
    expect(((await direct.json()) as Array<{ name: string }>).map((e) => e.name)).toEqual(['plan.txt']);

    // Another order or a name filter: the id API sorts by name only, so the portal orders the folder.
    const small = Buffer.from('short');
    const second = await t.api(bob, 'POST', '/api/transfers', {
      spaceId,
      direction: 'upload',
      folder: '/',
      files: [{ path: 'a-notes.txt', size: small.length }],
    });
    expect(
      (await gatewayUpload(node.gatewayUrl, second.json.transferSpec as object, [{ path: 'a-notes.txt', data: new Blob([small]) }])).status,
    ).toBe(200);
    const names = (r: { json: Record<string, unknown> }) => (r.json.items as Array<{ name: string }>).map((i) => i.name);
    expect(names(await t.api(bob, 'GET', `/api/spaces/${spaceId}/files?path=/`))).toEqual(['a-notes.txt', 'plan.txt']);
    expect(names(await t.api(bob, 'GET', `/api/spaces/${spaceId}/files?path=/&sort=size_desc`))).toEqual(['plan.txt', 'a-notes.txt']);
    const filtered = await t.api(bob, 'GET', `/api/spaces/${spaceId}/files?path=/&filter=NOTES`);
    expect(names(filtered)).toEqual(['a-notes.txt']);
    expect(filtered.json.totalCount).toBe(1);

    const down = await t.api(bob, 'POST', '/api/transfers', { spaceId, direction: 'download', paths: ['/plan.txt'] });
    expect(down.status).toBe(201);
    const got = await gatewayDownload(node.gatewayUrl, down.json.transferSpec as object);
    expect(got.status).toBe(200);
    const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(digest(Buffer.from(await got.arrayBuffer()))).toBe(digest(data));
  });

  it('new folder, rename and delete go with the person’s own token: they work with the key’s secret changed, and the node refuses a viewer’s', async () => {
    const nodeUser = 'Basic ' + Buffer.from(`${node.username}:${node.password}`).toString('base64');
    const setSecret = (secret: string) =>
      fetch(`${node.url}/access_keys/${key.id}`, {
        method: 'PUT',
        headers: { authorization: nodeUser, 'content-type': 'application/json' },
        body: JSON.stringify({ secret }),
      });
    const team = path.join(node.docroot, 'tenant/team');
    // The node user changes the key's secret: the portal's Basic credentials stop working, its tokens do not.
    expect((await setSecret('a secret the portal does not know')).status).toBe(204);
    try {
      expect((await onNode('GET', '/access_keys/self', asKey())).status).toBe(401);
      expect((await t.api(bob, 'POST', `/api/spaces/${spaceId}/folders`, { path: '/drafts' })).status).toBe(201);
      const renamed = await t.api(bob, 'POST', `/api/spaces/${spaceId}/rename`, { path: '/a-notes.txt', newName: 'notes.txt' });
      expect([renamed.status, renamed.json]).toEqual([200, { path: '/notes.txt' }]);
      // Contributors may not delete: the portal refuses first; the admin (a manager through the admins' group) may.
      expect((await t.api(bob, 'POST', `/api/spaces/${spaceId}/delete`, { paths: ['/notes.txt'] })).status).toBe(403);
      const deleted = await t.api(admin, 'POST', `/api/spaces/${spaceId}/delete`, { paths: ['/notes.txt', '/drafts', '/gone.txt'] });
      expect(deleted.json.results).toEqual([
        { path: '/notes.txt', ok: true },
        { path: '/drafts', ok: true },
        { path: '/gone.txt', ok: false, error: expect.objectContaining({ code: 'PATH_NOT_FOUND' }) as unknown },
      ]);
      // The node's own answers come back as the portal's: a name taken, a folder missing.
      expect((await t.api(admin, 'POST', `/api/spaces/${spaceId}/folders`, { path: '/plan.txt' })).json.code).toBe('NAME_TAKEN');
      expect((await t.api(admin, 'POST', `/api/spaces/${spaceId}/folders`, { path: '/nowhere/new' })).json.code).toBe('FOLDER_NOT_FOUND');
    } finally {
      expect((await setSecret(key.secret)).status).toBe(204);
    }
    expect((await readdir(team)).sort()).toEqual(['plan.txt']);

    // Bob as a viewer, his token straight to the node with the portal left out: no new folder, rename or delete.
    await t.api(admin, 'PUT', `/api/spaces/${spaceId}/members`, { principalType: 'user', principalId: bobId, role: 'viewer' });
    const down = await t.api(bob, 'POST', '/api/transfers', { spaceId, direction: 'download', paths: ['/plan.txt'] });
    const viewerToken = tokenOf(down.json.transferSpec);
    const teamId = await folderId('team');
    const planId = ((await (await onNode('GET', `/files/${teamId}/files`, asKey())).json()) as Array<{ id: string; name: string }>).find(
      (e) => e.name === 'plan.txt',
    )!.id;
    expect((await onNode('POST', `/files/${teamId}/files`, bearer(viewerToken), { name: 'sneaky', type: 'folder' })).status).toBe(403);
    expect((await onNode('PUT', `/files/${planId}`, bearer(viewerToken), { name: 'taken.txt' })).status).toBe(403);
    expect((await onNode('DELETE', `/files/${planId}`, bearer(viewerToken))).status).toBe(403);
    // …and through the portal the viewer is refused before the node is asked.
    expect((await t.api(bob, 'POST', `/api/spaces/${spaceId}/folders`, { path: '/sneaky' })).status).toBe(403);
    expect((await readdir(team)).sort()).toEqual(['plan.txt']);
    await t.api(admin, 'PUT', `/api/spaces/${spaceId}/members`, { principalType: 'user', principalId: bobId, role: 'contributor' });
  });

  it('refuses a non-member’s token at the node, even with the portal left out', async () => {
    // Carol is a member of another space on the node, so the portal gives her a token of her own.
    const other = (await t.api(admin, 'POST', '/api/spaces', { name: 'Other', nodeId, rootPath: '/other' })).json.id as string;
    await t.api(admin, 'PUT', `/api/spaces/${other}/members`, { principalType: 'user', principalId: carolId, role: 'manager' });
    const hers = await t.api(carol, 'POST', '/api/transfers', {
      spaceId: other,
      direction: 'upload',
      folder: '/',
      files: [{ path: 'x.txt', size: 1 }],
    });
    expect(hers.status).toBe(201);
    const carolToken = tokenOf(hers.json.transferSpec);
    expect((await t.api(carol, 'GET', `/api/spaces/${spaceId}/files?path=/`)).status).toBe(404);

    const teamId = await folderId('team');
    expect((await onNode('GET', `/files/${teamId}/files`, bearer(carolToken))).status).toBe(403);
    const setup = (await (await downloadSetupAs(carolToken, '/team/plan.txt')).json()) as {
      transfer_specs: Array<{ error?: { code: number } }>;
    };
    expect(setup.transfer_specs[0]?.error?.code).toBe(403);
    // A member's download spec carrying Carol's token instead: the gateway checks her permissions.
    const bobs = await t.api(bob, 'POST', '/api/transfers', { spaceId, direction: 'download', paths: ['/plan.txt'] });
    const forged = { ...(bobs.json.transferSpec as object), token: `Bearer ${carolToken}` };
    expect((await gatewayDownload(node.gatewayUrl, forged)).status).toBe(403);
  });

  it('refuses a tampered or expired token, and one signed with the portal’s key for another access key', async () => {
    const up = await uploadFor(bob, 'second.txt');
    const token = tokenOf(up.json.transferSpec);
    const teamId = await folderId('team');
    expect((await onNode('GET', `/files/${teamId}/files`, bearer(token))).status).toBe(200);
    const raw = Buffer.from(token, 'base64');
    raw[Math.floor(raw.length / 2)]! ^= 0x01;
    expect((await onNode('GET', `/files/${teamId}/files`, bearer(raw.toString('base64')))).status).toBe(401);
    // The portal's own private key, with only the expiry wrong: the node checks the expiry itself.
    const row = await t.db.selectFrom('nodes').selectAll().where('id', '=', nodeId).executeTakeFirstOrThrow();
    const privatePem = createSecretBox(secretKey).open(row.token_key_sealed!);
    const sign = (claims: Partial<Parameters<typeof signBearerToken>[1]>) =>
      signBearerToken(privatePem, { accessKey: key.id, userId: bobId, scope: 'user:all', lifeSeconds: 600, ...claims });
    expect((await onNode('GET', `/files/${teamId}/files`, bearer(sign({})))).status).toBe(200);
    expect((await onNode('GET', `/files/${teamId}/files`, bearer(sign({ lifeSeconds: -60 })))).status).toBe(401);
    expect((await onNode('GET', `/files/${teamId}/files`, bearer(sign({ accessKey: 'another-key' })))).status).toBe(401);
  });

  it('a role lowered or removed in the portal changes the node at once: the old token no longer writes, then no longer opens', async () => {
    const up = await uploadFor(bob, 'third.txt');
    const bobToken = tokenOf(up.json.transferSpec);
    const teamId = await folderId('team');
    await t.api(admin, 'PUT', `/api/spaces/${spaceId}/members`, { principalType: 'user', principalId: bobId, role: 'viewer' });
    // A viewer's upload is refused by the node itself, with the portal left out.
    const setup = await onNode('POST', '/files/upload_setup', bearer(bobToken), {
      transfer_requests: [{ transfer_request: { paths: [{ destination: 'sneaky.txt' }], destination_root: '/team' } }],
    });
    expect(((await setup.json()) as { transfer_specs: Array<{ error?: { code: number } }> }).transfer_specs[0]?.error?.code).toBe(403);
    // …and so is the spec he was given while still a contributor.
    const sent = await gatewayUpload(node.gatewayUrl, up.json.transferSpec as object, [{ path: 'third.txt', data: new Blob([data]) }]);
    expect(sent.status).toBe(403);
    expect((await onNode('GET', `/files/${teamId}/files`, bearer(bobToken))).status).toBe(200);

    expect((await t.api(admin, 'DELETE', `/api/spaces/${spaceId}/members/user/${bobId}`)).status).toBe(204);
    const left = (await (await onNode('GET', `/permissions?file_id=${teamId}`, asKey())).json()) as Array<{ access_id: string }>;
    expect(left.map((p) => p.access_id)).toEqual(['courier-admins']);
    expect((await onNode('GET', `/files/${teamId}/files`, bearer(bobToken))).status).toBe(403);
    expect((await t.api(bob, 'GET', `/api/spaces/${spaceId}/files?path=/`)).status).toBe(404);
    // An admin still lists it, through the admins' group permission.
    expect((await t.api(admin, 'GET', `/api/spaces/${spaceId}/files?path=/`)).status).toBe(200);

    // Back as a member of a group with the viewer role: a group permission, and tokens name his groups.
    const group = (await t.api(admin, 'POST', '/api/groups', { name: 'Readers' })).json.id as string;
    await t.api(admin, 'PUT', `/api/groups/${group}/members/${bobId}`);
    await t.api(admin, 'PUT', `/api/spaces/${spaceId}/members`, { principalType: 'group', principalId: group, role: 'viewer' });
    const mirrored = (await (await onNode('GET', `/permissions?file_id=${teamId}`, asKey())).json()) as Array<{
      access_id: string;
      access_type: string;
    }>;
    expect(mirrored.map((p) => `${p.access_type}:${p.access_id}`).sort()).toEqual(['group:courier-admins', `group:${group}`].sort());
    expect((await t.api(bob, 'GET', `/api/spaces/${spaceId}/files?path=/`)).status).toBe(200);
    const down = await t.api(bob, 'POST', '/api/transfers', { spaceId, direction: 'download', paths: ['/plan.txt'] });
    expect((await onNode('GET', `/files/${teamId}/files`, bearer(tokenOf(down.json.transferSpec)))).status).toBe(200);
    // His token from before names no group: still refused.
    expect((await onNode('GET', `/files/${teamId}/files`, bearer(bobToken))).status).toBe(403);
  });

  it('turning A3 off takes the verification key off the node: the portal’s tokens stop working, the space goes on with the key', async () => {
    const up = await uploadFor(admin, 'fourth.txt');
    const adminToken = tokenOf(up.json.transferSpec);
    const teamId = await folderId('team');
    expect((await onNode('GET', `/files/${teamId}/files`, bearer(adminToken))).status).toBe(200);
    const off = await t.api(admin, 'PATCH', `/api/nodes/${nodeId}`, { bearerTokens: false });
    expect(off.status).toBe(200);
    expect(off.json.bearerTokens).toBe(false);
    expect((await self()).token_verification_key).toBeUndefined();
    expect((await onNode('GET', `/files/${teamId}/files`, bearer(adminToken))).status).toBe(401);
    const again = await uploadFor(admin, 'fifth.txt');
    expect(again.status).toBe(201);
    expect((again.json.transferSpec as { token: string }).token).not.toMatch(/^Bearer /);
    expect((await t.api(admin, 'GET', `/api/spaces/${spaceId}/files?path=/`)).status).toBe(200);
  });
});
