import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { partialUpload } from '../../../test-kit/gateway-upload';
import { createTestApp, embeddedNodeOf, type LoggedIn, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

type AdminNode = { id: string; name: string; reachable: boolean; version: string | null; problem: string | null; spaceCount: number };

// Issue 13: the admin console's nodes, tested against the real node before anything is saved.
describe.each(DIALECTS)('admin nodes on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  let admin: LoggedIn;

  const api: TestApp['api'] = (...args) => t.api(...args);
  const listed = async () => (await api(admin, 'GET', '/api/admin/nodes')).json.nodes as AdminNode[];
  const add = (name: string, secret: string, url = node.url) =>
    api(admin, 'POST', '/api/nodes', { name, url, username: node.username, secret, gatewayUrl: node.gatewayUrl });

  beforeAll(async () => {
    node = await startNodeProcess();
    t = await createTestApp(dialect, {}, { embeddedNode: embeddedNodeOf(node) });
    admin = await t.login('alice');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await node?.stop();
  });

  it('lists each node with its version from /info, and one that does not answer as unreachable with the reason', async () => {
    const added = await add('reachable', node.password);
    expect(added.status).toBe(201);
    // A node that answered when it was added and has gone since.
    await t.db
      .updateTable('nodes')
      .set({ url: 'http://127.0.0.1:9' })
      .where('id', '=', added.json.id as string)
      .execute();
    const nodes = await listed();
    const embedded = nodes.find((n) => n.name === 'embedded');
    expect(embedded).toMatchObject({ reachable: true, version: expect.any(String), problem: null });
    expect(nodes.find((n) => n.name === 'reachable')).toMatchObject({
      reachable: false,
      version: null,
      problem: 'no answer (check the URL, the port and TLS settings)',
      spaceCount: 0,
    });
    expect(JSON.stringify(nodes)).not.toContain(node.password);
    expect((await api(admin, 'DELETE', `/api/nodes/${added.json.id as string}`)).status).toBe(204);
  });

  it("refuses a node whose credentials the node refuses, with the node's reason, and saves nothing", async () => {
    const wrong = await add('wrong-creds', 'not-the-password');
    expect(wrong.status).toBe(400);
    expect(wrong.json.message).toMatch(/the node refused the credentials \(HTTP 401: .+\)/);
    expect(wrong.json.message).not.toContain('not-the-password');
    const unreachable = await add('nowhere', node.password, 'http://127.0.0.1:9');
    expect([unreachable.status, unreachable.json.message]).toEqual([
      400,
      'The node did not accept these settings: no answer (check the URL, the port and TLS settings).',
    ]);
    expect((await listed()).map((n) => n.name)).not.toContain('wrong-creds');
    const audit = (await api(admin, 'GET', '/api/audit?limit=100')).json.entries as Array<{ action: string; decision: string }>;
    expect(audit.some((e) => e.action === 'node.add' && e.decision === 'deny')).toBe(true);
  });

  it('changes credentials only after the node accepts them; a blank secret keeps the stored one', async () => {
    const id = (await add('editable', node.password)).json.id as string;
    const refused = await api(admin, 'PATCH', `/api/nodes/${id}`, { secret: 'wrong-again' });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toContain('HTTP 401');
    // Still the old, working secret.
    expect((await api(admin, 'POST', `/api/nodes/${id}/test`)).json.ok).toBe(true);
    const kept = await api(admin, 'PATCH', `/api/nodes/${id}`, { secret: '', gatewayUrl: null });
    expect(kept).toMatchObject({ status: 200, json: { id, gatewayUrl: null } });
    expect(kept.json).not.toHaveProperty('secret');
    expect((await api(admin, 'POST', `/api/nodes/${id}/test`)).json.ok).toBe(true);
    expect((await api(admin, 'PATCH', `/api/nodes/${id}`, { secret: node.password })).status).toBe(200);
    expect((await api(admin, 'PATCH', '/api/nodes/no-such-node', { secret: '' })).status).toBe(404);
  });

  it("sets a node's packages folder: an absolute path outside every space, used by the next package; empty clears it", async () => {
    const id = (await add('keeper', node.password)).json.id as string;
    await api(admin, 'POST', '/api/spaces', { name: 'Kept space', nodeId: id, rootPath: '/kept/space' });
    expect((await api(admin, 'PATCH', `/api/nodes/${id}`, { packagesRoot: 'relative/path' })).json.code).toBe('VALIDATION_FAILED');
    expect((await api(admin, 'PATCH', `/api/nodes/${id}`, { packagesRoot: '/kept/../etc' })).json.code).toBe('VALIDATION_FAILED');
    // Inside a space, or holding one: either would let the space reach the packages.
    for (const overlapping of ['/kept/space/packages', '/kept']) {
      const refused = await api(admin, 'PATCH', `/api/nodes/${id}`, { packagesRoot: overlapping });
      expect([refused.status, refused.json.message]).toEqual([
        409,
        expect.stringContaining('overlaps the folder of the space "Kept space"'),
      ]);
    }
    const set = await api(admin, 'PATCH', `/api/nodes/${id}`, { packagesRoot: '/kept/packages/' });
    expect(set).toMatchObject({ status: 200, json: { id, packagesRoot: '/kept/packages' } });
    expect((await api(admin, 'GET', '/api/admin/nodes')).json.nodes).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, packagesRoot: '/kept/packages' })]),
    );
    // The default node keeps packages: the next package goes to that folder on this node.
    await t.db.updateTable('nodes').set({ is_default: 0 }).execute();
    await t.db.updateTable('nodes').set({ is_default: 1 }).where('id', '=', id).execute();
    const users = (await api(admin, 'GET', '/api/users')).json.users as Array<{ id: string; username: string }>;
    const sent = await api(admin, 'POST', '/api/packages', {
      recipients: { userIds: [users.find((u) => u.username === 'bob')!.id] },
      subject: 'Kept',
      files: [{ path: 'a.txt', size: 1 }],
    });
    expect(sent.status, JSON.stringify(sent.json)).toBe(201);
    const row = await t.db.selectFrom('packages').select(['node_id', 'node_path']).executeTakeFirstOrThrow();
    expect([row.node_id, row.node_path.startsWith('/kept/packages/')]).toEqual([id, true]);
    const cleared = await api(admin, 'PATCH', `/api/nodes/${id}`, { packagesRoot: null });
    expect(cleared.json.packagesRoot).toBeNull();
    await t.db.updateTable('nodes').set({ is_default: 0 }).where('id', '=', id).execute();
    await t.db.updateTable('nodes').set({ is_default: 1 }).where('name', '=', 'embedded').execute();
  });

  it('refuses to remove a node while spaces use it, naming them', async () => {
    const id = (await add('busy', node.password)).json.id as string;
    await api(admin, 'POST', '/api/spaces', { name: 'Busy One', nodeId: id, rootPath: '/busy/one' });
    await api(admin, 'POST', '/api/spaces', { name: 'Busy Two', nodeId: id, rootPath: '/busy/two' });
    const refused = await api(admin, 'DELETE', `/api/nodes/${id}`);
    expect([refused.status, refused.json.message]).toEqual([409, 'Spaces still use this node: "Busy One", "Busy Two". Delete them first.']);
    expect((await listed()).find((n) => n.id === id)?.spaceCount).toBe(2);
  });

  it("shows a node's running transfers from its /ops/transfers, with state, bytes and files", async () => {
    const space = await api(admin, 'POST', '/api/spaces', { name: 'Uploads', rootPath: '/uploads' });
    const authorized = await api(admin, 'POST', '/api/transfers', {
      spaceId: space.json.id,
      direction: 'upload',
      folder: '/',
      files: [{ path: 'big.bin', size: 1_000_000 }],
    });
    expect(authorized.status).toBe(201);
    const upload = partialUpload(node.gatewayUrl, authorized.json.transferSpec as object, { path: 'big.bin', size: 1_000_000 }, 300_000);
    const embeddedId = (await listed()).find((n) => n.name === 'embedded')!.id;
    type Row = { status: string; bytesTransferred: number; paths: string[]; filesCompleted: number };
    await expect
      .poll(async () =>
        ((await api(admin, 'GET', `/api/nodes/${embeddedId}/transfers`)).json.transfers as Row[]).find((r) => r.bytesTransferred > 0),
      )
      .toMatchObject({ status: 'running', filesCompleted: 0 });
    upload.finish();
    expect((await upload.response).status).toBeLessThan(400);
    await expect.poll(async () => ((await api(admin, 'GET', `/api/nodes/${embeddedId}/transfers`)).json.transfers as Row[]).length).toBe(0);
  });
});
