import { createHash, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { gatewayDownload } from '../../../test-kit/gateway-download';
import { PAGE_CLOSED_ERROR } from '../../../contract/transfer-status';
import { gatewayUpload, partialUpload } from '../../../test-kit/gateway-upload';
import { createTestApp, embeddedNodeOf, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe.each(DIALECTS)('transfers through the portal against the embedded node on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  let admin: { cookie: string; csrfToken: string };
  let spaceId: string;

  beforeAll(async () => {
    node = await startNodeProcess();
  });
  afterAll(() => node.stop());
  beforeEach(async () => {
    t = await createTestApp(dialect, {}, { embeddedNode: embeddedNodeOf(node) });
    admin = await t.login('alice');
    const space = await api('POST', '/api/spaces', { name: `Finance ${randomBytes(4).toString('hex')}` });
    expect(space.status).toBe(201);
    spaceId = space.json.id;
  });
  afterEach(() => t.close());

  async function api(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, who = admin) {
    const response = await t.app.inject({
      method,
      url,
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: response.statusCode, json: response.json() };
  }

  /** Until the node's own record of a transfer reaches `status`. */
  async function nodeSees(nodeTransferId: string, status: string) {
    const authorization = `Basic ${Buffer.from(`${node.username}:${node.password}`).toString('base64')}`;
    for (let i = 0; i < 50; i++) {
      const onNode = await fetch(`${node.url}/ops/transfers/${nodeTransferId}`, { headers: { authorization } });
      if (((await onNode.json()) as { status: string }).status === status) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the node never saw ${nodeTransferId} ${status}`);
  }

  async function waitForStatus(transferId: string, status: string) {
    for (let i = 0; i < 50; i++) {
      await t.app.courier.tracker.sync();
      const { json } = await api('GET', `/api/transfers/${transferId}`);
      if (json.status === status) return json;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`transfer ${transferId} never became ${status}`);
  }

  it('authorizes an upload, carries it through the gateway, downloads it back byte-identical, and records both as completed', async () => {
    const big = randomBytes(3 * 1024 * 1024 + 17);
    const files = [
      { path: 'reports/q1 "final".txt', data: Buffer.from('quarterly numbers\n') },
      { path: 'reports/été/données.bin', data: big },
      { path: 'empty.txt', data: Buffer.alloc(0) },
    ];
    const created = await api('POST', '/api/transfers', {
      spaceId,
      direction: 'upload',
      folder: '/incoming',
      files: files.map((f) => ({ path: f.path, size: f.data.length })),
      emptyFolders: ['reports/nothing-yet'],
    });
    expect(created.status).toBe(201);
    const { transfer, transferSpec, clients } = created.json;
    expect(transfer).toMatchObject({
      direction: 'upload',
      status: 'authorized',
      fileCount: 3,
      bytesExpected: big.length + 18,
      folder: '/incoming',
      paths: ['reports', 'empty.txt'],
    });
    expect(clients).toEqual([{ type: 'http-gateway', url: node.gatewayUrl }]);
    expect(transferSpec).toMatchObject({ direction: 'send', token: expect.any(String), remote_user: expect.any(String) });
    expect(transferSpec.destination_root).toMatch(/\/incoming$/);
    expect(transferSpec.paths).toEqual(files.map((f) => ({ source: f.path, destination: f.path })));
    expect(JSON.stringify(created.json)).not.toContain(node.password);

    const upload = await gatewayUpload(node.gatewayUrl, transferSpec, files);
    expect(upload.status).toBeLessThan(400);
    const doneUpload = await waitForStatus(transfer.id, 'completed');
    expect(doneUpload.bytesTransferred).toBe(big.length + 18);

    const listing = await api('GET', `/api/spaces/${spaceId}/files?path=/incoming/reports`);
    expect(listing.status).toBe(200);
    expect(listing.json.items.map((i: { name: string; type: string }) => `${i.type}:${i.name}`).sort()).toEqual([
      'file:q1 "final".txt',
      'folder:nothing-yet',
      'folder:été',
    ]);

    const download = await api('POST', '/api/transfers', { spaceId, direction: 'download', paths: ['/incoming/reports/été/données.bin'] });
    expect(download.status).toBe(201);
    expect(download.json.transfer).toMatchObject({ direction: 'download', bytesExpected: big.length, title: 'données.bin' });
    const bytes = await gatewayDownload(node.gatewayUrl, download.json.transferSpec);
    expect(bytes.status).toBe(200);
    expect(sha256(Buffer.from(await bytes.arrayBuffer()))).toBe(sha256(big));
    await waitForStatus(download.json.transfer.id, 'completed');

    const history = await api('GET', '/api/transfers');
    expect(history.json.transfers.map((r: { direction: string; status: string }) => `${r.direction}:${r.status}`)).toEqual([
      'download:completed',
      'upload:completed',
    ]);
  });

  it('names every zip a download makes after what was downloaded, through download_name and zip_required, Unicode kept', async () => {
    const files = [
      { path: 'Données été/a.txt', data: Buffer.from('alpha') },
      { path: 'b "q".txt', data: Buffer.from('bravo') },
    ];
    const up = await api('POST', '/api/transfers', {
      spaceId,
      direction: 'upload',
      folder: '/',
      files: files.map((f) => ({ path: f.path, size: f.data.length })),
    });
    expect((await gatewayUpload(node.gatewayUrl, up.json.transferSpec, files)).status).toBeLessThan(400);
    const { json: space } = await api('GET', `/api/spaces/${spaceId}`);

    const disposition = async (paths: string[]) => {
      const created = await api('POST', '/api/transfers', { spaceId, direction: 'download', paths });
      expect(created.status).toBe(201);
      // The signed URL's answer is what a browser's download manager names the file by.
      const presign = await fetch(`${node.gatewayUrl}/v3/presign`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ transfer_spec: created.json.transferSpec }),
      });
      const answer = await fetch(((await presign.json()) as { signed_url: string }).signed_url);
      await answer.arrayBuffer();
      const header = answer.headers.get('content-disposition') ?? '';
      return { spec: created.json.transferSpec, name: decodeURIComponent(header.split("filename*=UTF-8''")[1] ?? header) };
    };

    const folder = await disposition(['/Données été']);
    expect(folder.spec).toMatchObject({ zip_required: true, download_name: 'Données été' });
    expect(folder.name).toBe('Données été.zip');

    const selection = await disposition(['/Données été/a.txt', '/b "q".txt']);
    const today = new Date().toISOString().slice(0, 10);
    expect(selection.spec).toMatchObject({ zip_required: true, download_name: `${space.name} ${today}` });
    expect(selection.name).toBe(`${space.name} ${today}.zip`);

    const root = await disposition(['/']);
    expect(root.name).toBe(`${space.name}.zip`);

    const file = await disposition(['/b "q".txt']);
    expect(file.spec.zip_required).toBeUndefined();
    expect(file.spec.download_name).toBeUndefined();
    expect(file.name).toBe('b "q".txt');
  });

  it('refuses a download of a missing path with PATH_NOT_FOUND and records nothing', async () => {
    const response = await api('POST', '/api/transfers', { spaceId, direction: 'download', paths: ['/no/such/file.txt'] });
    expect(response.status).toBe(404);
    expect(response.json.code).toBe('PATH_NOT_FOUND');
    expect((await api('GET', '/api/transfers')).json.transfers).toEqual([]);
  });

  it('records a cancellation from the client and cancels the transfer the node is running', async () => {
    const size = 8 * 1024 * 1024;
    const created = await api('POST', '/api/transfers', { spaceId, direction: 'upload', folder: '/', files: [{ path: 'held.bin', size }] });
    const id = created.json.transfer.id as string;
    const held = partialUpload(node.gatewayUrl, created.json.transferSpec, { path: 'held.bin', size }, 1024 * 1024);
    try {
      // The tracker learns the node's transfer id from GET /ops/transfers: the cancel must reach it.
      await waitForStatus(id, 'running');
      const row = await t.db.selectFrom('transfers').select('node_transfer_id').where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.node_transfer_id).toEqual(expect.any(String));

      const cancelled = await api('PATCH', `/api/transfers/${id}`, { status: 'cancelled' });
      expect(cancelled.json.status).toBe('cancelled');
      const onNode = await fetch(`${node.url}/ops/transfers/${row.node_transfer_id}`, {
        headers: { authorization: `Basic ${Buffer.from(`${node.username}:${node.password}`).toString('base64')}` },
      });
      expect((await onNode.json()).status).toBe('canceled');
      // The node ended the upload it was receiving; nothing is stored under the final name.
      expect((await held.response).status).not.toBe(200);
      const listing = await api('GET', `/api/spaces/${spaceId}/files?path=/`);
      expect(listing.json.items.map((i: { name: string }) => i.name)).not.toContain('held.bin');
      // A cancelled record stays cancelled: a client cannot flip it back.
      const again = await api('PATCH', `/api/transfers/${id}`, { status: 'running' });
      expect(again.json.status).toBe('cancelled');
    } finally {
      held.abort();
    }
  });

  it('ends as cancelled a transfer the client stopped, even when the node recorded the cut connection as a failure first', async () => {
    const size = 8 * 1024 * 1024;
    const created = await api('POST', '/api/transfers', {
      spaceId,
      direction: 'upload',
      folder: '/',
      files: [{ path: 'stopped.bin', size }],
    });
    const id = created.json.transfer.id as string;
    const held = partialUpload(node.gatewayUrl, created.json.transferSpec, { path: 'stopped.bin', size }, 1024 * 1024);
    await waitForStatus(id, 'running');
    // The browser's stop: the connection is cut, and the node's record says failed before the PATCH arrives.
    held.abort();
    const failed = await waitForStatus(id, 'failed');
    expect(failed.error).toEqual(expect.any(String));

    const cancelled = await api('PATCH', `/api/transfers/${id}`, { status: 'cancelled' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({ status: 'cancelled', error: null });
    await t.app.courier.tracker.sync();
    expect((await api('GET', `/api/transfers/${id}`)).json).toMatchObject({ status: 'cancelled', error: null });
    // Only a cancel turns a failure around: a late "running" or "failed" from the client changes nothing.
    expect((await api('PATCH', `/api/transfers/${id}`, { status: 'running' })).json.status).toBe('cancelled');
  });

  it('ends as failed, with the reason the node gave, a transfer whose requests the gateway refused (401, 403)', async () => {
    // Tokens that live one second: the upload below comes after its token expired.
    const shortLived = await createTestApp(dialect, { COURIER_TRANSFER_TOKEN_LIFE_SECONDS: '1' }, { embeddedNode: embeddedNodeOf(node) });
    try {
      const who = await shortLived.login('bob');
      const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
        const response = await shortLived.app.inject({
          method,
          url,
          headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken },
          ...(payload ? { payload } : {}),
        });
        return response.json();
      };
      const { spaces } = await call('GET', '/api/spaces');
      const home = spaces.find((sp: { personal: boolean }) => sp.personal);
      const expired = await call('POST', '/api/transfers', {
        spaceId: home.id,
        direction: 'upload',
        folder: '/',
        files: [{ path: 'late.txt', size: 4 }],
      });
      const unused = await call('POST', '/api/transfers', { spaceId: home.id, direction: 'download', paths: ['/'] });
      await new Promise((r) => setTimeout(r, 2100));
      const late = await gatewayUpload(node.gatewayUrl, expired.transferSpec, [{ path: 'late.txt', data: Buffer.from('late') }]);
      expect(late.status).toBe(401);
      // A download token sent to the upload endpoint: the node refuses it for what it is. A token of
      // a whole minute: one of a second can end before it is used (expiry is in whole seconds).
      const admin = await shortLived.login('alice');
      await shortLived.api(admin, 'PUT', '/api/admin/settings/transferTokenLifeSeconds', { value: 60 });
      const fresh = await call('POST', '/api/transfers', { spaceId: home.id, direction: 'download', paths: ['/'] });
      const misused = await gatewayUpload(node.gatewayUrl, { ...fresh.transferSpec, direction: 'send' }, [
        { path: 'x.txt', data: Buffer.from('x') },
      ]);
      expect(misused.status).toBe(403);

      await shortLived.app.courier.tracker.sync();
      expect(await call('GET', `/api/transfers/${expired.transfer.id}`)).toMatchObject({ status: 'failed', error: 'Token has expired' });
      expect(await call('GET', `/api/transfers/${fresh.transfer.id}`)).toMatchObject({
        status: 'failed',
        error: 'A download token cannot be used to upload',
      });
      // One that was never sent stays as it was: nothing the node saw says otherwise.
      expect((await call('GET', `/api/transfers/${unused.transfer.id}`)).status).toBe('authorized');
    } finally {
      await shortLived.close();
    }
  });

  it('a page closed mid-upload: the record says so in words, whether the node or the page tells first', async () => {
    const size = 8 * 1024 * 1024;
    const upload = async (name: string) => {
      const created = await api('POST', '/api/transfers', { spaceId, direction: 'upload', folder: '/', files: [{ path: name, size }] });
      const id = created.json.transfer.id as string;
      const held = partialUpload(node.gatewayUrl, created.json.transferSpec, { path: name, size }, 1024 * 1024);
      await waitForStatus(id, 'running');
      return { id, held };
    };

    // The node first: it fails the upload for the closed connection, then the page's report names why.
    const first = await upload('node-first.bin');
    first.held.abort();
    const failed = await waitForStatus(first.id, 'failed');
    expect(failed.error).not.toBe(PAGE_CLOSED_ERROR);
    const told = await api('PATCH', `/api/transfers/${first.id}`, { status: 'failed', pageClosed: true });
    expect(told.json).toMatchObject({ status: 'failed', error: PAGE_CLOSED_ERROR });
    await t.app.courier.tracker.sync();
    expect((await api('GET', `/api/transfers/${first.id}`)).json.error).toBe(PAGE_CLOSED_ERROR);

    // The page first: the node's later failure keeps the page's reason.
    const second = await upload('page-first.bin');
    const reported = await api('PATCH', `/api/transfers/${second.id}`, { status: 'failed', pageClosed: true });
    expect(reported.json).toMatchObject({ status: 'failed', error: PAGE_CLOSED_ERROR });
    second.held.abort();
    const row = await t.db.selectFrom('transfers').select('node_transfer_id').where('id', '=', second.id).executeTakeFirstOrThrow();
    await nodeSees(row.node_transfer_id!, 'failed');
    await t.app.courier.tracker.sync();
    expect((await api('GET', `/api/transfers/${second.id}`)).json).toMatchObject({ status: 'failed', error: PAGE_CLOSED_ERROR });

    // A client's plain failure report does not rewrite the node's reason of an ended record.
    const plain = await api('PATCH', `/api/transfers/${first.id}`, { status: 'failed', error: 'anything' });
    expect(plain.json.error).toBe(PAGE_CLOSED_ERROR);
  });

  it('a Desktop transfer that failed runs again when Desktop resumes it, and a gateway upload when its session resumes; a cancelled one does not', async () => {
    const create = async (name: string) =>
      (await api('POST', '/api/transfers', { spaceId, direction: 'upload', folder: '/', files: [{ path: name, size: 1 }] })).json.transfer
        .id as string;
    const desktop = await create('desktop.bin');
    await api('PATCH', `/api/transfers/${desktop}`, { status: 'running', client: 'desktop' });
    expect((await api('PATCH', `/api/transfers/${desktop}`, { status: 'failed', error: 'Token authorization failed' })).json.status).toBe(
      'failed',
    );
    const resumed = await api('PATCH', `/api/transfers/${desktop}`, { status: 'running', client: 'desktop' });
    expect(resumed.json).toMatchObject({ status: 'running', error: null, endedAt: null });

    const gateway = await create('gateway.bin');
    await api('PATCH', `/api/transfers/${gateway}`, { status: 'running', client: 'http-gateway' });
    await api('PATCH', `/api/transfers/${gateway}`, { status: 'failed', error: 'lost' });
    // A report that does not say the gateway client resumed it (a late one) does not reopen it.
    expect((await api('PATCH', `/api/transfers/${gateway}`, { status: 'running' })).json.status).toBe('failed');
    expect((await api('PATCH', `/api/transfers/${gateway}`, { status: 'running', client: 'http-gateway' })).json).toMatchObject({
      status: 'running',
      error: null,
    });
    // Cancelled is an end: its session was deleted on the node.
    await api('PATCH', `/api/transfers/${gateway}`, { status: 'cancelled' });
    expect((await api('PATCH', `/api/transfers/${gateway}`, { status: 'running', client: 'http-gateway' })).json.status).toBe('cancelled');
  });

  it('ends a transfer that was authorized but never reached its node, after an hour', async () => {
    const created = await api('POST', '/api/transfers', {
      spaceId,
      direction: 'upload',
      folder: '/',
      files: [{ path: 'never.txt', size: 1 }],
    });
    const fresh = await api('POST', '/api/transfers', {
      spaceId,
      direction: 'upload',
      folder: '/',
      files: [{ path: 'soon.txt', size: 1 }],
    });
    await t.db
      .updateTable('transfers')
      .set({ created_at: Date.now() - 3600_000 - 1000 })
      .where('id', '=', created.json.transfer.id)
      .execute();
    await t.app.courier.tracker.sync();
    expect((await api('GET', `/api/transfers/${created.json.transfer.id}`)).json).toMatchObject({
      status: 'failed',
      error: 'The transfer was authorized but never started.',
    });
    expect((await api('GET', `/api/transfers/${fresh.json.transfer.id}`)).json.status).toBe('authorized');
  });

  it('answers NODE_UNAVAILABLE, and records nothing, when the node is down', async () => {
    const down = await createTestApp(
      dialect,
      {},
      { embeddedNode: { url: 'http://127.0.0.1:9', username: 'u', secret: 'p', gatewayUrl: 'http://127.0.0.1:9/aspera/http-gwy' } },
    );
    try {
      const who = await down.login('alice');
      const spaces = await down.app.inject({
        method: 'POST',
        url: '/api/spaces',
        headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken },
        payload: { name: 'X' },
      });
      expect(spaces.statusCode).toBe(502);
      expect(spaces.json().code).toBe('NODE_UNAVAILABLE');
      expect(spaces.body).not.toContain('127.0.0.1');
      expect(await down.db.selectFrom('spaces').selectAll().execute()).toEqual([]);
    } finally {
      await down.close();
    }
  });
});
