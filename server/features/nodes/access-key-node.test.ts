import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { gatewayDownload } from '../../../test-kit/gateway-download';
import { gatewayUpload } from '../../../test-kit/gateway-upload';
import { createTestApp, embeddedNodeOf, type LoggedIn, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

// Issue 16: a node registered with an access key (A2). Every portal operation on it is jailed to
// the key's storage root (docs/node-api.md §6.1, §6.4), and the tracker follows its transfers on
// the node's /ops/transfers, which shows a key its own (scenario S7).
describe.each(DIALECTS)('a node registered with an access key, on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  let admin: LoggedIn;
  let key: { id: string; secret: string };
  let nodeId: string;
  let spaceId: string;
  const tenant = () => path.join(node.docroot, 'tenant');

  const nodeUser = () => 'Basic ' + Buffer.from(`${node.username}:${node.password}`).toString('base64');
  const register = (body: Record<string, unknown>) =>
    t.api(admin, 'POST', '/api/nodes', {
      name: 'tenant node',
      url: node.url,
      gatewayUrl: node.gatewayUrl,
      authType: 'access_key',
      ...body,
    });

  beforeAll(async () => {
    node = await startNodeProcess();
    await mkdir(path.join(node.docroot, 'tenant'), { recursive: true });
    await writeFile(path.join(node.docroot, 'outside.txt'), 'not the tenant’s');
    const res = await fetch(`${node.url}/access_keys`, {
      method: 'POST',
      headers: { authorization: nodeUser(), 'content-type': 'application/json' },
      body: JSON.stringify({ storage: { type: 'local', path: '/tenant' } }),
    });
    expect(res.status).toBe(200);
    key = (await res.json()) as { id: string; secret: string };
    t = await createTestApp(dialect, {}, { embeddedNode: embeddedNodeOf(node) });
    admin = await t.login('alice');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await node?.stop();
  });

  it('refuses, before saving, credentials that are not the access key they claim to be', async () => {
    const nodeUserAsKey = await register({ username: node.username, secret: node.password });
    expect(nodeUserAsKey.status).toBe(400);
    expect(nodeUserAsKey.json.message).toMatch(/these credentials are not an access key on this node \(.*HTTP 400/);
    const wrongSecret = await register({ username: key.id, secret: 'not-the-secret' });
    expect(wrongSecret.status).toBe(400);
    expect(wrongSecret.json.message).toContain('the node refused the credentials');
    expect(JSON.stringify([nodeUserAsKey.json, wrongSecret.json])).not.toContain(node.password);
    const nodes = (await t.api(admin, 'GET', '/api/nodes')).json.nodes as Array<{ name: string }>;
    expect(nodes.map((n) => n.name)).not.toContain('tenant node');
  });

  it('registers the key: the answer says access_key and never the secret, which is sealed at rest', async () => {
    const added = await register({ username: key.id, secret: key.secret });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ username: key.id, authType: 'access_key' });
    expect(JSON.stringify(added.json)).not.toContain(key.secret);
    nodeId = added.json.id as string;
    const row = await t.db.selectFrom('nodes').selectAll().where('id', '=', nodeId).executeTakeFirstOrThrow();
    expect(row.auth_type).toBe('access_key');
    expect(row.secret_sealed).not.toContain(key.secret);
    const listed = (await t.api(admin, 'GET', '/api/admin/nodes')).json.nodes as Array<{
      id: string;
      reachable: boolean;
      authType: string;
    }>;
    expect(listed.find((n) => n.id === nodeId)).toMatchObject({ reachable: true, authType: 'access_key' });
    expect(JSON.stringify(listed)).not.toContain(key.secret);
  });

  it('puts a space, its folders, renames and deletes inside the key’s storage root', async () => {
    const space = await t.api(admin, 'POST', '/api/spaces', { name: 'Tenant space', nodeId, rootPath: '/team' });
    expect(space.status).toBe(201);
    spaceId = space.json.id as string;
    expect((await stat(path.join(tenant(), 'team'))).isDirectory()).toBe(true);
    await expect(stat(path.join(node.docroot, 'team'))).rejects.toThrow();

    expect((await t.api(admin, 'POST', `/api/spaces/${spaceId}/folders`, { path: '/drafts' })).status).toBe(201);
    expect((await stat(path.join(tenant(), 'team/drafts'))).isDirectory()).toBe(true);
    expect((await t.api(admin, 'POST', `/api/spaces/${spaceId}/rename`, { path: '/drafts', newName: 'final' })).status).toBe(200);
    const listing = await t.api(admin, 'GET', `/api/spaces/${spaceId}/files?path=/`);
    expect((listing.json.items as Array<{ name: string }>).map((i) => i.name)).toEqual(['final']);
    expect((await t.api(admin, 'POST', `/api/spaces/${spaceId}/delete`, { paths: ['/final'] })).status).toBe(200);
    await expect(stat(path.join(tenant(), 'team/final'))).rejects.toThrow();
    // A space whose root names the docroot's own files still lands inside the key's storage.
    const escaped = await t.api(admin, 'POST', '/api/spaces', { name: 'Escape', nodeId, rootPath: '/../outside.txt' });
    expect(escaped.status).toBe(400);
    expect(await readFile(path.join(node.docroot, 'outside.txt'), 'utf8')).toBe('not the tenant’s');
  });

  it('uploads and downloads through the key’s specs, and the tracker completes both records from the node', async () => {
    const data = Buffer.from('bytes for the tenant\n'.repeat(100));
    const up = await t.api(admin, 'POST', '/api/transfers', {
      spaceId,
      direction: 'upload',
      folder: '/',
      files: [{ path: 'report.txt', size: data.length }],
    });
    expect(up.status).toBe(201);
    const sent = await gatewayUpload(node.gatewayUrl, up.json.transferSpec as object, [{ path: 'report.txt', data: new Blob([data]) }]);
    expect(sent.status).toBe(200);
    expect(await readFile(path.join(tenant(), 'team/report.txt'))).toEqual(data);
    const record = (id: string) => t.api(admin, 'GET', `/api/transfers/${id}`).then((r) => r.json.status);
    await expect.poll(() => record((up.json.transfer as { id: string }).id), { timeout: 15_000 }).toBe('completed');

    const down = await t.api(admin, 'POST', '/api/transfers', { spaceId, direction: 'download', paths: ['/report.txt'] });
    expect(down.status).toBe(201);
    const got = await gatewayDownload(node.gatewayUrl, down.json.transferSpec as object);
    expect(got.status).toBe(200);
    const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(digest(Buffer.from(await got.arrayBuffer()))).toBe(digest(data));
    await expect.poll(() => record((down.json.transfer as { id: string }).id), { timeout: 15_000 }).toBe('completed');
  });
});
