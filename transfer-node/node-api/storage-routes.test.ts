import { link as hardLink, lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../test/node-harness';
import { oasMismatches } from '../test/oas-schema';

let t: TestNode;
beforeAll(async () => {
  t = await startTestNode();
  await mkdir(join(t.docroot, 'Docs/sub'), { recursive: true });
  await writeFile(join(t.docroot, 'Docs/long.txt'), 'x'.repeat(10_000));
  await writeFile(join(t.docroot, 'Docs/short.txt'), 'short');
  await writeFile(join(t.dir, 'outside.txt'), 'SECRET-CONTENT');
  await hardLink(join(t.dir, 'outside.txt'), join(t.docroot, 'Docs/hard.txt'));
  await symlink(join(t.dir, 'outside.txt'), join(t.docroot, 'Docs/escape.txt'));
});
afterAll(() => t.close());

const create = async (paths: unknown[]) => {
  const res = await t.api('/files/create', { paths });
  expect(res.status).toBe(200);
  const body = await res.json();
  expect(oasMismatches('files-create-post-200', body)).toEqual([]);
  return body.paths as Array<{ path: string; error?: { code: number; user_message: string } }>;
};

describe('POST /files/create: files and symbolic links', () => {
  it('creates a file from base64 contents as ascli mkfile sends it', async () => {
    const [made] = await create([{ type: 'file', path: '/Docs/made.txt', contents: Buffer.from('héllo\n').toString('base64') }]);
    expect(made).toEqual({ path: '/Docs/made.txt' });
    expect(await readFile(join(t.docroot, 'Docs/made.txt'), 'utf8')).toBe('héllo\n');
    expect(await readdir(join(t.docroot, '.courier-staging'))).toEqual([]);
  });

  it('creates a relative link to an entry inside the folder that holds it, as ascli mklink sends it', async () => {
    const [made] = await create([{ type: 'symbolic_link', path: '/Docs/latest', target: { path: '/Docs/sub' } }]);
    expect(made).toEqual({ path: '/Docs/latest' });
    expect(await readlink(join(t.docroot, 'Docs/latest'))).toBe('sub');
    const browse = await t.apiJson('/files/browse', { path: '/Docs' });
    expect(browse.items.find((i: { basename: string }) => i.basename === 'latest')).toMatchObject({ type: 'symbolic_link' });
  });

  it.each([
    ['an existing name (never replaced)', { type: 'file', path: '/Docs/short.txt', contents: 'eA==' }, 409],
    ['a path out of the docroot', { type: 'file', path: '/../escape.txt', contents: 'eA==' }, 403],
    ['contents that are not base64', { type: 'file', path: '/Docs/bad.txt', contents: 'not base64!' }, 400],
    ['more than 1 MiB', { type: 'file', path: '/Docs/huge.bin', contents: Buffer.alloc(1024 * 1024 + 1).toString('base64') }, 413],
    ['a file through a link that leaves the docroot', { type: 'file', path: '/Docs/escape.txt/x', contents: 'eA==' }, 403],
    ['a link leading up out of its folder', { type: 'symbolic_link', path: '/Docs/sub/up', target: { path: '/Docs/short.txt' } }, 403],
    ['a link to its own folder', { type: 'symbolic_link', path: '/Docs/self', target: { path: '/Docs' } }, 403],
    ['a link to what does not exist', { type: 'symbolic_link', path: '/Docs/dangling', target: { path: '/Docs/none' } }, 404],
    ['a link to the staging area', { type: 'symbolic_link', path: '/stage', target: { path: '/.courier-staging' } }, 403],
    ['a link without a target', { type: 'symbolic_link', path: '/Docs/no-target' }, 400],
    ['an unknown type', { type: 'socket', path: '/Docs/sock' }, 400],
  ])('refuses %s, per path', async (_name, item, code) => {
    const [result] = await create([item]);
    expect(result?.error?.code).toBe(code);
    if (code === 409) expect(await readFile(join(t.docroot, 'Docs/short.txt'), 'utf8')).toBe('short');
    else await expect(lstat(join(t.docroot, String(item.path)))).rejects.toThrow();
  });
});

describe('POST /space', () => {
  it('answers the mount point sizes of each path, per the OAS', async () => {
    const res = await t.api('/space', { paths: [{ path: '/Docs' }, { path: '/none' }] });
    const body = await res.json();
    expect(oasMismatches('space-post-200', body)).toEqual([]);
    const [docs, none] = body.paths;
    expect(docs.path).toBe('/Docs');
    expect(docs.bytes_total).toBeGreaterThan(0);
    expect(docs.bytes_free).toBeLessThanOrEqual(docs.bytes_total);
    expect(docs.percent_free).toBeCloseTo((100 * docs.bytes_free) / docs.bytes_total);
    expect(none.error.code).toBe(404);
  });

  it('refuses a body without paths and a path out of the docroot', async () => {
    expect((await t.api('/space', {})).status).toBe(400);
    const [out] = (await (await t.api('/space', { paths: [{ path: '/../..' }] })).json()).paths;
    expect(out.error.code).toBe(403);
  });
});

describe('GET /files/{uri_encoded_path}/contents', () => {
  const contents = (path: string) => t.api(`/files/${encodeURIComponent(path)}/contents`);

  it('answers the first 4096 bytes of a file', async () => {
    const long = await contents('/Docs/long.txt');
    expect(long.status).toBe(200);
    expect(await long.text()).toBe('x'.repeat(4096));
    expect(await (await contents('/Docs/short.txt')).text()).toBe('short');
  });

  it.each([
    ['a folder', '/Docs/sub', 400],
    ['a symbolic link', '/Docs/escape.txt', 400],
    ['a hard link (maybe to a file outside)', '/Docs/hard.txt', 403],
    ['a missing file', '/Docs/none.txt', 404],
    ['a path out of the docroot', '/../outside.txt', 403],
  ])('refuses %s', async (_name, path, code) => {
    const res = await contents(path);
    expect(res.status).toBe(code);
    expect(await res.text()).not.toContain('SECRET-CONTENT');
  });

  it('asks for the node credentials', async () => {
    const res = await fetch(`${t.node.url}/files/${encodeURIComponent('/Docs/short.txt')}/contents`);
    expect(res.status).toBe(401);
  });
});
