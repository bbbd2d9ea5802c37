/**
 * Copy and Move between spaces on two real nodes (docs/node-api.md §5.1): the portal authorizes
 * both sides, the source node carries the bytes to the destination node's gateway, the tracker
 * follows it, and a Move deletes the originals only once the copy completed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { freePort } from '../../../test-kit/free-port';
import { holdingProxy, type HoldingProxy } from '../../../test-kit/holding-proxy';
import { createTestApp, TEST_PASSWORD, type LoggedIn, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe.each(DIALECTS)('Copy and Move between spaces on two nodes, on %s', (dialect) => {
  let first: NodeProcess;
  let second: NodeProcess;
  /** A third node whose specs name its gateway through a proxy that holds each upload after 1 MiB. */
  let held: NodeProcess;
  let proxy: HoldingProxy;
  let heldSpace: { id: string; rootPath: string };
  let t: TestApp;
  let admin: LoggedIn;
  let source: { id: string; rootPath: string };
  let target: { id: string; rootPath: string };
  const big = randomBytes(4 * 1024 * 1024 + 3);
  const small = Buffer.from('minutes of the meeting\n');

  const api: TestApp['api'] = (...args) => t.api(...args);

  async function put(node: NodeProcess, rootPath: string, path: string, data: Buffer) {
    const abs = join(node.docroot, rootPath, path);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, data);
  }

  async function waitForStatus(transferId: string, status: string) {
    for (let i = 0; i < 100; i++) {
      await t.app.courier.tracker.sync();
      const { json } = await api(admin, 'GET', `/api/transfers/${transferId}`);
      if (json.status === status) return json;
      if (json.status !== 'running' && json.status !== 'authorized')
        throw new Error(`transfer ended ${String(json.status)}: ${String(json.error)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`transfer ${transferId} never became ${status}`);
  }

  beforeAll(async () => {
    [first, second] = await Promise.all([startNodeProcess(), startNodeProcess()]);
    t = await createTestApp(
      dialect,
      {},
      { embeddedNode: { url: first.url, username: first.username, secret: first.password, gatewayUrl: first.gatewayUrl } },
    );
    admin = await t.login('alice');
    const node = await api(admin, 'POST', '/api/nodes', {
      name: 'Second',
      url: second.url,
      username: second.username,
      secret: second.password,
      gatewayUrl: second.gatewayUrl,
    });
    expect(node.status, JSON.stringify(node.json)).toBe(201);
    const a = await api(admin, 'POST', '/api/spaces', { name: 'Studio', rootPath: '/studio' });
    const b = await api(admin, 'POST', '/api/spaces', { name: 'Archive', nodeId: node.json.id, rootPath: '/archive' });
    expect([a.status, b.status], JSON.stringify([a.json, b.json])).toEqual([201, 201]);
    source = { id: a.json.id as string, rootPath: '/studio' };
    target = { id: b.json.id as string, rootPath: '/archive' };
    await put(first, source.rootPath, 'Shoot/raw/take1.bin', big);
    await put(first, source.rootPath, 'Shoot/notes.txt', small);
    await put(first, source.rootPath, 'minutes.txt', small);
    await put(first, source.rootPath, 'moving.bin', big);
    await mkdir(join(second.docroot, target.rootPath, 'in'), { recursive: true });

    const port = await freePort();
    proxy = await holdingProxy(`http://127.0.0.1:${port}`, 1024 * 1024);
    held = await startNodeProcess({ port, env: { COURIER_NODE_PUBLIC_URL: proxy.url(`http://127.0.0.1:${port}`) } });
    const third = await api(admin, 'POST', '/api/nodes', {
      name: 'Held',
      url: `http://127.0.0.1:${port}`,
      username: held.username,
      secret: held.password,
    });
    expect(third.status, JSON.stringify(third.json)).toBe(201);
    const c = await api(admin, 'POST', '/api/spaces', { name: 'Slow', nodeId: third.json.id, rootPath: '/slow' });
    expect(c.status, JSON.stringify(c.json)).toBe(201);
    heldSpace = { id: c.json.id as string, rootPath: '/slow' };
    await put(first, source.rootPath, 'keep-me.bin', big);
  }, 90_000);
  afterAll(async () => {
    proxy?.release();
    await proxy?.close();
    await t?.close();
    await Promise.all([first?.stop(), second?.stop(), held?.stop()]);
  });

  it('copies a folder and a file to a space on another node, byte for byte, as the user’s transfer', async () => {
    const res = await api(admin, 'POST', `/api/spaces/${source.id}/copy`, {
      paths: ['/Shoot', '/minutes.txt'],
      to: { spaceId: target.id, folder: '/in' },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const transfer = (res.json as { transfer: Record<string, unknown> }).transfer;
    expect(transfer).toMatchObject({ operation: 'copy', sourceSpaceId: source.id, spaceId: target.id, folder: '/in', direction: 'upload' });
    const done = await waitForStatus(transfer.id as string, 'completed');
    expect(done.bytesTransferred).toBe(big.length + 2 * small.length);
    const there = join(second.docroot, target.rootPath, 'in');
    expect(sha256(await readFile(join(there, 'Shoot/raw/take1.bin')))).toBe(sha256(big));
    expect(sha256(await readFile(join(there, 'Shoot/notes.txt')))).toBe(sha256(small));
    expect(sha256(await readFile(join(there, 'minutes.txt')))).toBe(sha256(small));
    // A copy keeps the originals.
    expect(await readdir(join(first.docroot, source.rootPath))).toEqual(expect.arrayContaining(['Shoot', 'minutes.txt']));
    const listed = await api(admin, 'GET', '/api/transfers');
    expect((listed.json.transfers as Array<{ id: string }>).map((r) => r.id)).toContain(transfer.id);
  });

  it('moves a file: the original goes only after the destination reported the copy complete', async () => {
    const res = await api(admin, 'POST', `/api/spaces/${source.id}/copy`, {
      paths: ['/moving.bin'],
      to: { spaceId: target.id, folder: '/' },
      move: true,
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const id = (res.json as { transfer: { id: string } }).transfer.id;
    await waitForStatus(id, 'completed');
    expect(sha256(await readFile(join(second.docroot, target.rootPath, 'moving.bin')))).toBe(sha256(big));
    expect(await readdir(join(first.docroot, source.rootPath))).not.toContain('moving.bin');
  });

  it('a Move cancelled in the middle keeps the original, and nothing lands at the destination', async () => {
    const res = await api(admin, 'POST', `/api/spaces/${source.id}/copy`, {
      paths: ['/keep-me.bin'],
      to: { spaceId: heldSpace.id, folder: '/' },
      move: true,
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const id = (res.json as { transfer: { id: string } }).transfer.id;
    await proxy.held;
    const cancelled = await api(admin, 'PATCH', `/api/transfers/${id}`, { status: 'cancelled' });
    expect(cancelled.json.status).toBe('cancelled');
    await t.app.courier.tracker.sync();
    expect((await api(admin, 'GET', `/api/transfers/${id}`)).json.status).toBe('cancelled');
    // The source node stopped sending: its record says so.
    const nodeTransfers = await fetch(`${first.url}/ops/transfers?active_only=false&view=summary`, {
      headers: { authorization: first.auth },
    });
    const onNode = (
      (await nodeTransfers.json()) as Array<{ status: string; start_spec: { tags: { courier?: { transfer_id?: string } } } }>
    ).find((r) => r.start_spec.tags.courier?.transfer_id === id);
    expect(onNode?.status).toBe('canceled');
    expect(sha256(await readFile(join(first.docroot, source.rootPath, 'keep-me.bin')))).toBe(sha256(big));
    expect(await readdir(join(held.docroot, heldSpace.rootPath)).catch(() => [])).not.toContain('keep-me.bin');
  });

  it('refuses what cannot be done, with the reason, before any byte moves', async () => {
    const taken = await api(admin, 'POST', `/api/spaces/${source.id}/copy`, {
      paths: ['/minutes.txt'],
      to: { spaceId: target.id, folder: '/in' },
    });
    expect([taken.status, taken.json.code]).toEqual([409, 'NAME_TAKEN']);
    const intoItself = await api(admin, 'POST', `/api/spaces/${source.id}/copy`, {
      paths: ['/Shoot'],
      to: { spaceId: source.id, folder: '/Shoot/raw' },
    });
    expect([intoItself.status, intoItself.json.message]).toEqual([400, 'A folder cannot be copied or moved into itself.']);
    const missing = await api(admin, 'POST', `/api/spaces/${source.id}/copy`, {
      paths: ['/nope.txt'],
      to: { spaceId: target.id, folder: '/' },
    });
    expect(missing.status).toBe(404);
    const escape = await api(admin, 'POST', `/api/spaces/${source.id}/copy`, {
      paths: ['/../../etc'],
      to: { spaceId: target.id, folder: '/' },
    });
    expect([escape.status, escape.json.code]).toEqual([400, 'INVALID_PATH']);
  });

  it('needs read on the source, delete there to move, and upload on the destination', async () => {
    const user = await api(admin, 'POST', '/api/users', { username: 'carol', displayName: 'Carol', password: TEST_PASSWORD });
    const userId = user.json.id as string;
    await api(admin, 'PUT', `/api/spaces/${source.id}/members`, { principalType: 'user', principalId: userId, role: 'contributor' });
    await api(admin, 'PUT', `/api/spaces/${target.id}/members`, { principalType: 'user', principalId: userId, role: 'viewer' });
    const carol = await t.login('carol');
    const body = { paths: ['/minutes.txt'], to: { spaceId: target.id, folder: '/' } };
    expect(await api(carol, 'POST', `/api/spaces/${source.id}/copy`, body)).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    await api(admin, 'PUT', `/api/spaces/${target.id}/members`, { principalType: 'user', principalId: userId, role: 'contributor' });
    expect(await api(carol, 'POST', `/api/spaces/${source.id}/copy`, { ...body, move: true })).toMatchObject({
      status: 403,
      json: { code: 'FORBIDDEN', message: expect.stringMatching(/delete/) },
    });
    const copied = await api(carol, 'POST', `/api/spaces/${source.id}/copy`, body);
    expect(copied.status).toBe(201);
    await waitForStatus((copied.json as { transfer: { id: string } }).transfer.id, 'completed');
    expect(await api(carol, 'POST', `/api/spaces/${source.id}/copy`, { ...body, to: { spaceId: 'unknown', folder: '/' } })).toMatchObject({
      status: 404,
      json: { code: 'SPACE_NOT_FOUND' },
    });
  });
});
