/**
 * The Node API calls IBM's CLI makes that the node added last (docs/node-api.md §2, §3, §5.2):
 * `POST /files/search`, `GET /events`, `GET /license`, `GET /`, against a real node over HTTP, with
 * real files, each answer checked against the official 4.4.6 schema, and each jailed to the
 * docroot or the access key's storage.
 */
import { mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayDownload } from '../../test-kit/gateway-download';
import { basic, call, createKey } from '../test/access-client';
import { startTestNode, upload, type TestNode } from '../test/node-harness';
import { oasMismatches } from '../test/oas-schema';

let t: TestNode;
let key: Record<string, string>;
let other: Record<string, string>;
const node = () => ({ authorization: t.auth });

beforeAll(async () => {
  t = await startTestNode();
  await mkdir(join(t.docroot, 'Docs/sub/deep'), { recursive: true });
  await mkdir(join(t.docroot, 'tenant/inner'), { recursive: true });
  await mkdir(join(t.docroot, 'other'));
  await mkdir(join(t.dir, 'outside'));
  await writeFile(join(t.dir, 'outside/secret.txt'), 'SECRET');
  await writeFile(join(t.docroot, 'Docs/a.txt'), 'aaaaa');
  await writeFile(join(t.docroot, 'Docs/sub/b.TXT'), 'b'.repeat(100));
  await writeFile(join(t.docroot, 'Docs/sub/deep/c.log'), 'c'.repeat(10));
  await utimes(join(t.docroot, 'Docs/a.txt'), new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
  await symlink('sub', join(t.docroot, 'Docs/to-sub'));
  await symlink(join(t.dir, 'outside'), join(t.docroot, 'Docs/escape'));
  await writeFile(join(t.docroot, 'tenant/inner/t.txt'), 'tenant');
  const k = await createKey(t, '/tenant');
  const o = await createKey(t, '/other');
  key = basic(k.id, k.secret);
  other = basic(o.id, o.secret);
});
afterAll(() => t.close());

const search = async (body: Record<string, unknown>, headers: Record<string, string> = node()) => {
  const res = await call(t, headers, 'POST', '/files/search', body);
  if (res.status === 200) expect(oasMismatches('files-search-post-200', res.body)).toEqual([]);
  return res;
};
const pathsOf = (res: { body: { items: Array<{ path: string }> } }) => res.body.items.map((i) => i.path);

describe('POST /files/search', () => {
  it('walks every level below the path, links listed but never followed, with counts and parameters', async () => {
    const res = await search({ path: '/Docs' });
    expect(res.status).toBe(200);
    expect(pathsOf(res)).toEqual([
      '/Docs/a.txt',
      '/Docs/escape',
      '/Docs/sub',
      '/Docs/sub/b.TXT',
      '/Docs/sub/deep',
      '/Docs/sub/deep/c.log',
      '/Docs/to-sub',
    ]);
    expect(res.body.items.find((i: { path: string }) => i.path === '/Docs/escape')).toMatchObject({
      type: 'symbolic_link',
      basename: 'escape',
    });
    expect(res.body.items.find((i: { path: string }) => i.path === '/Docs/sub/b.TXT')).toMatchObject({ type: 'file', size: 100 });
    expect(JSON.stringify(res.body)).not.toContain('secret');
    expect(res.body).toMatchObject({ item_count: 7, total_count: 7, parameters: { path: '/Docs', skip: 0, count: 100 } });
  });

  it('applies the filters of the OAS: basenames and paths as globs, types, sizes, times, depths', async () => {
    expect(pathsOf(await search({ path: '/Docs', filters: { basenames: ['*.txt'] } }))).toEqual(['/Docs/a.txt', '/Docs/sub/b.TXT']);
    expect(pathsOf(await search({ path: '/Docs', case_sensitive: true, filters: { basenames: ['*.txt'] } }))).toEqual(['/Docs/a.txt']);
    expect(pathsOf(await search({ path: '/Docs', filters: { paths: ['*/deep/*'] } }))).toEqual(['/Docs/sub/deep/c.log']);
    expect(pathsOf(await search({ path: '/Docs', filters: { types: ['directory'] } }))).toEqual(['/Docs/sub', '/Docs/sub/deep']);
    // A size bound keeps files only; size_min is inclusive, size_max exclusive.
    expect(pathsOf(await search({ path: '/Docs', filters: { size_min: 10 } }))).toEqual(['/Docs/sub/b.TXT', '/Docs/sub/deep/c.log']);
    expect(pathsOf(await search({ path: '/Docs', filters: { size_max: 100 } }))).toEqual(['/Docs/a.txt', '/Docs/sub/deep/c.log']);
    expect(pathsOf(await search({ path: '/Docs', filters: { types: ['file'], mtime_max: '2021-01-01 00:00:00' } }))).toEqual([
      '/Docs/a.txt',
    ]);
    expect(pathsOf(await search({ path: '/Docs', filters: { types: ['file'], mtime_min: '2021-01-01T00:00:00Z' } }))).toEqual([
      '/Docs/sub/b.TXT',
      '/Docs/sub/deep/c.log',
    ]);
    const shallow = await search({ path: '/Docs', filters: { depth_max: 1 } });
    expect(pathsOf(shallow)).toEqual(['/Docs/a.txt', '/Docs/escape', '/Docs/sub', '/Docs/to-sub']);
    expect(shallow.body.parameters).toMatchObject({ depth_max: 1 });
    expect(pathsOf(await search({ path: '/Docs', filters: { depth_min: 3 } }))).toEqual(['/Docs/sub/deep/c.log']);
  });

  it('sorts and pages as browse does', async () => {
    const page = await search({ path: '/Docs', sort: 'size_d', filters: { types: ['file'] }, skip: 1, count: 1 });
    expect(pathsOf(page)).toEqual(['/Docs/sub/deep/c.log']);
    expect(page.body).toMatchObject({ item_count: 1, total_count: 3 });
  });

  it("is jailed to an access key's storage: its paths, never the docroot's", async () => {
    const res = await search({ path: '/' }, key);
    expect(pathsOf(res)).toEqual(['/inner', '/inner/t.txt']);
    expect((await search({ path: '/../Docs' }, key)).status).toBe(403);
    expect(pathsOf(await search({ path: '/' }, other))).toEqual([]);
  });

  it.each([
    ['no path', {}, 400],
    ['an unknown type filter', { path: '/Docs', filters: { types: ['socket'] } }, 400],
    ['a time that is not one', { path: '/Docs', filters: { mtime_min: 'yesterday' } }, 400],
    ['a missing folder', { path: '/none' }, 404],
    ['a file', { path: '/Docs/a.txt' }, 409],
    ['a path out of the docroot', { path: '/../outside' }, 403],
    ['a link that leaves the docroot', { path: '/Docs/escape' }, 403],
  ])('refuses %s with a Node API error', async (_name, body, status) => {
    const res = await search(body);
    expect(res.status).toBe(status);
    expect(typeof res.body.error.user_message).toBe('string');
  });
});

describe('GET /events', () => {
  let ids: Record<string, string>;
  beforeAll(async () => {
    const spec = await t.uploadSpec('/Docs', { tags: { courier: { transfer_id: 'up' } } });
    expect((await upload(t, spec, [{ name: 'ev.txt', data: new Blob(['event']) }])).status).toBe(200);
    const down = await t.downloadSpec(['/Docs/ev.txt'], { tags: { courier: { transfer_id: 'down' } } });
    expect((await gatewayDownload(t.node.gatewayUrl, down)).status).toBe(200);
    const keySpec = await call(t, key, 'POST', '/files/upload_setup', {
      transfer_requests: [{ transfer_request: { paths: [{ destination: '/inner' }], tags: { courier: { transfer_id: 'key' } } } }],
    });
    expect((await upload(t, keySpec.body.transfer_specs[0].transfer_spec, [{ name: 'k.txt', data: new Blob(['k']) }])).status).toBe(200);
    ids = {};
    for (const e of (await call(t, node(), 'GET', '/events')).body)
      ids[`${e.data.start_spec.tags.courier.transfer_id}:${e.types[0]}`] = e.id;
  });
  const summary = (events: Array<{ types: string[]; data: { start_spec: { tags: { courier: { transfer_id: string } } } } }>) =>
    events.map((e) => `${e.data.start_spec.tags.courier.transfer_id}:${e.types.join(',')}`);

  it('answers each transfer start and end, oldest first, in the OAS shape but for two fields its own text describes', async () => {
    const res = await call(t, node(), 'GET', '/events');
    expect(res.status).toBe(200);
    expect(summary(res.body)).toEqual([
      'up:upload.started',
      'up:upload.ended',
      'down:download.started',
      'down:download.ended',
      'key:upload.started',
      'key:upload.ended',
    ]);
    // docs/node-api.md §5.2: the OAS schema types `types` and `data` as strings while describing an
    // array and a JSON object; the node answers what the descriptions say, and nothing else differs.
    const problems = oasMismatches('events-get-200', res.body);
    expect(problems.every((p) => /^events-get-200\[\d+\]\.(types|data): expected string/.test(p))).toBe(true);
    expect(problems).toHaveLength(12);
    const ended = res.body[1];
    expect(ended).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      user_id: t.node.credentials.username,
      data: { status: 'completed', bytes_transferred: 5 },
    });
    expect(Date.parse(ended.time)).not.toBeNaN();
  });

  it('pages with the Link header and filters by type, transfer.* and type_glob[]', async () => {
    const first = await call(t, node(), 'GET', '/events?count=4');
    expect(first.body).toHaveLength(4);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1] as string;
    const rest = await call(t, node(), 'GET', new URL(next).pathname + new URL(next).search);
    expect(summary(rest.body)).toEqual(['key:upload.started', 'key:upload.ended']);
    expect(summary((await call(t, node(), 'GET', '/events?type=transfer.ended')).body)).toEqual([
      'up:upload.ended',
      'down:download.ended',
      'key:upload.ended',
    ]);
    expect(summary((await call(t, node(), 'GET', '/events?type=download.started')).body)).toEqual(['down:download.started']);
    expect(summary((await call(t, node(), 'GET', `/events?${encodeURIComponent('type_glob[]')}=download.*`)).body)).toEqual([
      'down:download.started',
      'down:download.ended',
    ]);
    expect((await call(t, node(), 'GET', '/events?type=file.created')).body).toEqual([]);
    expect((await call(t, node(), 'GET', '/events?after_time=2999-01-01T00:00:00Z')).body).toEqual([]);
  });

  it("shows an access key its own transfers' events only, and another's as unknown", async () => {
    expect(summary((await call(t, key, 'GET', '/events')).body)).toEqual(['key:upload.started', 'key:upload.ended']);
    expect((await call(t, other, 'GET', '/events')).body).toEqual([]);
    expect((await call(t, key, 'GET', `/events/${ids['key:upload.ended']}`)).body).toMatchObject({ types: ['upload.ended'] });
    expect((await call(t, key, 'GET', `/events/${ids['up:upload.ended']}`)).status).toBe(404);
    expect((await call(t, node(), 'GET', `/events/${ids['up:upload.ended']}`)).body.id).toBe(ids['up:upload.ended']);
  });

  it.each([
    ['an iteration token it did not give', '/events?iteration_token=abc', 400],
    ['a time that is not one', '/events?after_time=soon', 400],
    ['an event type that is not one', '/events?type=..', 400],
    ['an unknown event', '/events/999999', 404],
  ])('refuses %s', async (_name, path, status) => {
    expect((await call(t, node(), 'GET', path)).status).toBe(status);
  });
});

describe('GET /license and GET /', () => {
  it('says truthfully that the node holds no Aspera license', async () => {
    const res = await call(t, node(), 'GET', '/license');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ aspera_license: false, license_type: 'none', transports: ['http_gateway'] });
  });

  it('lists the Node API routes the node serves, these included', async () => {
    const res = await call(t, key, 'GET', '/');
    expect(res.status).toBe(200);
    expect(res.body.endpoints).toEqual(
      expect.arrayContaining(['GET /info', 'POST /files/search', 'GET /events', 'GET /events/{id}', 'GET /license', 'POST /space']),
    );
    expect(res.body.endpoints).not.toContain('GET /ping');
  });

  it('asks for credentials', async () => {
    for (const path of ['/', '/license', '/events']) expect((await fetch(t.node.url + path)).status).toBe(401);
    expect((await call(t, {}, 'POST', '/files/search', { path: '/' })).status).toBe(401);
  });
});
