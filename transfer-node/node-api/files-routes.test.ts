import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../test/node-harness';

let t: TestNode;
beforeAll(async () => {
  t = await startTestNode();
  await mkdir(join(t.docroot, 'Outbox/sub'), { recursive: true });
  await writeFile(join(t.docroot, 'Outbox/b.txt'), 'bb');
  await writeFile(join(t.docroot, 'Outbox/A.txt'), 'a');
  await writeFile(join(t.docroot, 'Outbox/c.bin'), Buffer.alloc(1000));
});
afterAll(() => t.close());

describe('service endpoints', () => {
  it('answers /ping without credentials, with an empty 200', async () => {
    const res = await fetch(t.node.url + '/ping');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('refuses the Node API without or with wrong credentials, in the Node API error shape', async () => {
    const none = await fetch(t.node.url + '/info');
    expect(none.status).toBe(401);
    expect((await none.json()).error).toMatchObject({ code: 401, reason: 'Unauthorized' });
    const wrong = await fetch(t.node.url + '/info', {
      headers: { authorization: 'Basic ' + Buffer.from('node_admin:nope').toString('base64') },
    });
    expect(wrong.status).toBe(401);
  });

  it('describes the node in /info, including the transfer user and gateway URL', async () => {
    const info = await t.apiJson('/info');
    expect(info).toMatchObject({ application: 'node', transfer_user: 'xfer', http_gateway_url: t.node.gatewayUrl });
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.capabilities).toContainEqual({ name: 'http_gateway', value: true });
  });

  it('types /info capabilities as real servers do: flags boolean, versions and counts strings (docs/node-api.md §2)', async () => {
    const info = await t.apiJson('/info');
    const value = (name: string) => info.capabilities.find((c: { name: string }) => c.name === name)?.value;
    for (const flag of ['http_gateway', 'sync', 'symbolic_links', 'move_file', 'move_directory'])
      expect(typeof value(flag)).toBe('boolean');
    expect(value('http_gateway_version')).toBe('3');
    expect(value('token_life_seconds')).toMatch(/^\d+$/);
  });

  it('answers unknown endpoints with a JSON 404', async () => {
    const res = await t.api('/nope');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe(404);
  });
});

describe('POST /files/browse', () => {
  it('lists a folder with the official entry fields, sorted by name case-insensitively', async () => {
    const res = await t.apiJson('/files/browse', { path: '/Outbox' });
    expect(res.self).toMatchObject({ path: '/Outbox', basename: 'Outbox', type: 'directory' });
    expect(res.items.map((i: { basename: string }) => i.basename)).toEqual(['A.txt', 'b.txt', 'c.bin', 'sub']);
    expect(res.items[1]).toEqual({
      path: '/Outbox/b.txt',
      basename: 'b.txt',
      type: 'file',
      size: 2,
      mtime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      permissions: [{ name: 'view' }, { name: 'edit' }, { name: 'delete' }],
    });
    expect(res).toMatchObject({ item_count: 4, total_count: 4 });
  });

  it('pages with skip/count and sorts by size', async () => {
    const page = await t.apiJson('/files/browse', { path: '/Outbox', skip: 1, count: 2, sort: 'size_d' });
    expect(page.items.map((i: { basename: string }) => i.basename)).toEqual(['b.txt', 'A.txt']);
    expect(page.total_count).toBe(4);
  });

  it('hides the staging folder at the docroot', async () => {
    const res = await t.apiJson('/files/browse', { path: '/' });
    expect(res.items.map((i: { basename: string }) => i.basename)).toEqual(['Outbox']);
  });

  it('answers a file with its own entry as self: its real size, type file, no items', async () => {
    await writeFile(join(t.docroot, 'Outbox/twelve.txt'), 'twelve bytes');
    const res = await t.apiJson('/files/browse', { path: '/Outbox/twelve.txt' });
    expect(res).toEqual({
      self: {
        path: '/Outbox/twelve.txt',
        basename: 'twelve.txt',
        type: 'file',
        size: 12,
        mtime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        permissions: [{ name: 'view' }, { name: 'edit' }, { name: 'delete' }],
      },
      items: [],
      item_count: 0,
      total_count: 0,
    });
    await rm(join(t.docroot, 'Outbox/twelve.txt'));
  });

  it('answers 404 for a missing folder and 400 for a malformed body', async () => {
    const missing = await t.api('/files/browse', { path: '/nope' });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toMatchObject({ code: 404, reason: 'Not Found' });
    expect((await t.api('/files/browse', { path: 42 })).status).toBe(400);
    expect((await t.api('/files/browse', { path: '/', count: -1 })).status).toBe(400);
  });

  it('shows a link inside the docroot with its target, and refuses to follow one that leaves it', async () => {
    await symlink(join(t.docroot, 'Outbox'), join(t.docroot, 'inside-link'));
    await symlink('/etc', join(t.docroot, 'escape-link'));
    const root = await t.apiJson('/files/browse', { path: '/' });
    const inside = root.items.find((i: { basename: string }) => i.basename === 'inside-link');
    expect(inside).toMatchObject({ type: 'symbolic_link', target: { path: '/Outbox' } });
    const escape = root.items.find((i: { basename: string }) => i.basename === 'escape-link');
    expect(escape.target).toBeUndefined();
    const res = await t.api('/files/browse', { path: '/escape-link' });
    expect(res.status).toBe(403);
    await t.apiJson('/files/delete', { paths: [{ path: '/inside-link' }, { path: '/escape-link' }] });
  });
});

describe('create, rename, delete', () => {
  it('creates folders with per-path results and a per-path 409 for an existing one', async () => {
    const res = await t.apiJson('/files/create', {
      paths: [
        { path: '/New/deep', type: 'directory' },
        { path: '/Outbox', type: 'directory' },
      ],
    });
    expect(res.paths[0]).toEqual({ path: '/New/deep' });
    expect(res.paths[1]).toEqual({ path: '/Outbox', error: { code: 409, reason: 'Conflict', user_message: 'Path already exists' } });
    expect(await readdir(join(t.docroot, 'New'))).toEqual(['deep']);
  });

  it('renames within a folder and refuses to overwrite', async () => {
    await writeFile(join(t.docroot, 'New/x.txt'), 'x');
    await writeFile(join(t.docroot, 'New/y.txt'), 'y');
    const res = await t.apiJson('/files/rename', {
      paths: [
        { path: '/New', source: 'x.txt', destination: 'z.txt' },
        { path: '/New', source: 'y.txt', destination: 'z.txt' },
        { path: '/New', source: 'missing', destination: 'w' },
      ],
    });
    expect(res.paths[0]).toEqual({ path: '/New', source: 'x.txt', destination: 'z.txt' });
    expect(res.paths[1].error).toMatchObject({ code: 409 });
    expect(res.paths[2].error).toMatchObject({ code: 404 });
    expect((await readdir(join(t.docroot, 'New'))).sort()).toEqual(['deep', 'y.txt', 'z.txt']);
  });

  it('deletes files and folders, refuses a non-empty folder without recursive_delete, and the docroot', async () => {
    const res = await t.apiJson('/files/delete', {
      paths: [{ path: '/New', recursive_delete: false }, { path: '/New/z.txt' }, { path: '/' }, { path: '/gone' }],
    });
    expect(res.paths[0].error).toMatchObject({ code: 409 });
    expect(res.paths[1]).toEqual({ path: '/New/z.txt' });
    expect(res.paths[2].error).toMatchObject({ code: 403 });
    expect(res.paths[3].error).toMatchObject({ code: 404 });
    const again = await t.apiJson('/files/delete', { paths: [{ path: '/New' }] });
    expect(again.paths[0]).toEqual({ path: '/New' });
    expect(await readdir(t.docroot)).not.toContain('New');
  });

  it('sees changes made behind its back (listing cache follows folder mtime)', async () => {
    const before = await t.apiJson('/files/browse', { path: '/Outbox' });
    await writeFile(join(t.docroot, 'Outbox/zz-new.txt'), 'n');
    const after = await t.apiJson('/files/browse', { path: '/Outbox' });
    expect(after.total_count).toBe(before.total_count + 1);
  });
});
