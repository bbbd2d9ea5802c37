import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayDownload } from '../../test-kit/gateway-download';
import { basic, call, createKey, type Answer } from '../test/access-client';
import { bearerHeaders, bearerToken, rsaKeyPair, signPayload, type KeyPair } from '../test/bearer';
import { startTestNode, upload, type TestNode } from '../test/node-harness';
import { oasMismatches } from '../test/oas-schema';

let t: TestNode;
let pair: KeyPair;
let otherPair: KeyPair;
let key: { id: string; secret: string; body: { root_file_id: string } };
let otherKey: { id: string; secret: string };
let asKey: Record<string, string>;
const ids: Record<string, string> = {};

const alice = (extra: { groupIds?: string[]; scope?: 'user:all' | 'admin:all'; validity?: number } = {}) =>
  bearerHeaders(key.id, bearerToken(pair.privateKey, { accessKey: key.id, userId: 'alice', groupIds: ['team'], ...extra }));
const names = (answer: Answer) => answer.body.map((e: { name: string }) => e.name);
const grant = async (fileId: string, accessType: 'user' | 'group', accessId: string, levels: string[]) => {
  const res = await call(t, asKey, 'POST', '/permissions', {
    file_id: fileId,
    access_type: accessType,
    access_id: accessId,
    access_levels: levels,
  });
  if (res.status !== 200) throw new Error(`POST /permissions → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

beforeAll(async () => {
  t = await startTestNode();
  await mkdir(join(t.docroot, 'space/a/deep'), { recursive: true });
  await mkdir(join(t.docroot, 'space/b'), { recursive: true });
  await mkdir(join(t.docroot, 'elsewhere'), { recursive: true });
  await writeFile(join(t.docroot, 'space/a/x.txt'), 'x');
  await writeFile(join(t.docroot, 'space/a/deep/y.txt'), 'yy');
  await writeFile(join(t.docroot, 'space/b/z.txt'), 'zzz');
  pair = rsaKeyPair();
  otherPair = rsaKeyPair();
  key = await createKey(t, '/space', { token_verification_key: pair.publicPem });
  otherKey = await createKey(t, '/elsewhere', { token_verification_key: otherPair.publicPem });
  asKey = basic(key.id, key.secret);
  const root = await call(t, asKey, 'GET', `/files/${key.body.root_file_id}/files`);
  for (const entry of root.body) ids[entry.name] = entry.id;
  const a = await call(t, asKey, 'GET', `/files/${ids.a}/files`);
  for (const entry of a.body) ids[entry.name] = entry.id;
  const deep = await call(t, asKey, 'GET', `/files/${ids.deep}/files`);
  for (const entry of deep.body) ids[entry.name] = entry.id;
  await grant(ids.a as string, 'user', 'alice', ['list']);
  await grant(ids.deep as string, 'group', 'team', ['read']);
});
afterAll(() => t.close());

describe('file ids under an access key', () => {
  it('lists a folder by id in the official shape, with paths below the key root and a total count', async () => {
    const root = await call(t, asKey, 'GET', `/files/${key.body.root_file_id}/files`);
    expect(root.status).toBe(200);
    expect(names(root)).toEqual(['a', 'b']);
    for (const entry of root.body) expect(oasMismatches('files-id-get-200', entry)).toEqual([]);
    expect(root.body[0]).toMatchObject({ name: 'a', path: '/a', type: 'folder' });
    expect(root.headers.get('x-total-count')).toBe('2');
    const file = await call(t, asKey, 'GET', `/files/${ids['x.txt']}`);
    expect(file.body).toMatchObject({ id: ids['x.txt'], name: 'x.txt', type: 'file', size: 1 });
    expect(oasMismatches('files-id-get-200', file.body)).toEqual([]);
  });

  it('pages with page and per_page', async () => {
    const first = await call(t, asKey, 'GET', `/files/${ids.a}/files?per_page=1`);
    const second = await call(t, asKey, 'GET', `/files/${ids.a}/files?per_page=1&page=2`);
    expect([...names(first), ...names(second)]).toEqual(['deep', 'x.txt']);
    expect(first.headers.get('x-total-count')).toBe('2');
  });

  it('answers 404 for an id of another key or one never given, 400 for a malformed one', async () => {
    const other = await call(t, basic(otherKey.id, otherKey.secret), 'GET', `/files/${ids.a}`);
    expect(other.status).toBe(404);
    expect(oasMismatches('error', other.body)).toEqual([]);
    expect((await call(t, asKey, 'GET', '/files/999999')).status).toBe(404);
    expect((await call(t, asKey, 'GET', '/files/..%2F1')).status).toBe(400);
  });

  it('creates a folder by id, refusing a name that is a path', async () => {
    const made = await call(t, asKey, 'POST', `/files/${ids.b}/files`, { name: 'made', type: 'folder' });
    expect(made.status).toBe(200);
    expect(oasMismatches('files-id-files-post-200', made.body)).toEqual([]);
    expect((await stat(join(t.docroot, 'space/b/made'))).isDirectory()).toBe(true);
    expect((await call(t, asKey, 'POST', `/files/${ids.b}/files`, { name: '../../escape', type: 'folder' })).status).toBe(403);
    expect((await call(t, asKey, 'POST', `/files/${ids.b}/files`, { name: 'a/b', type: 'folder' })).status).toBe(400);
  });
});

describe('bearer tokens', () => {
  it('are accepted when signed by the key, for the key, not expired', async () => {
    const self = await call(t, alice(), 'GET', '/self');
    expect(self.status).toBe(200);
    expect(self.body.id).toBe(key.id);
  });

  it('are refused when expired, signed by another key, for another key, tampered, or without the key header', async () => {
    const token = bearerToken(pair.privateKey, { accessKey: key.id, userId: 'alice' });
    const expired = await call(t, alice({ validity: -1 }), 'GET', '/self');
    expect(expired.status).toBe(401);
    expect(expired.body.error.user_message).toMatch(/expired/);
    const foreignSigner = bearerToken(otherPair.privateKey, { accessKey: key.id, userId: 'alice' });
    expect((await call(t, bearerHeaders(key.id, foreignSigner), 'GET', '/self')).status).toBe(401);
    // A token for the other key, presented as this key (its signature is this key's, its scope is not).
    const forOther = bearerToken(pair.privateKey, { accessKey: otherKey.id, userId: 'alice' });
    const wrongScope = await call(t, bearerHeaders(key.id, forOther), 'GET', '/self');
    expect(wrongScope.status).toBe(401);
    expect(wrongScope.body.error.user_message).toMatch(/not for this access key/);
    // One bit of the signed text flipped: still a valid deflate stream, no longer the signed payload.
    const payload = JSON.stringify({
      user_id: 'alice',
      scope: `node.${key.id}:user:all`,
      auth_type: 'access_key',
      expires_at: '2099-01-01T00:00:00Z',
    });
    const signed = signPayload(payload, pair.privateKey);
    expect((await call(t, bearerHeaders(key.id, signed), 'GET', '/self')).status).toBe(200);
    const tampered = await call(t, bearerHeaders(key.id, flipOneBitOfPayload(signed)), 'GET', '/self');
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.user_message).toMatch(/signature/);
    // One bit of the token as sent flipped: the stream no longer inflates, or no longer verifies.
    const raw = Buffer.from(signed, 'base64');
    raw[raw.length >> 1] = (raw[raw.length >> 1] as number) ^ 1;
    expect((await call(t, bearerHeaders(key.id, raw.toString('base64')), 'GET', '/self')).status).toBe(401);
    expect((await call(t, { authorization: `Bearer ${token}` }, 'GET', '/self')).status).toBe(401);
    expect((await call(t, bearerHeaders(key.id, 'bm90IGEgdG9rZW4='), 'GET', '/self')).status).toBe(401);
  });

  it('may read /info, as ascli does before a gen4 transfer', async () => {
    const info = await call(t, alice(), 'GET', '/info');
    expect(info.status).toBe(200);
    expect(info.body.transfer_user).toBe('xfer');
  });

  it('are refused by the path API, which the OAS keeps for Basic auth', async () => {
    expect((await call(t, alice({ scope: 'admin:all' }), 'POST', '/files/browse', { path: '/' })).status).toBe(403);
  });
});

describe('permissions', () => {
  it('are answered in the official shapes', async () => {
    const list = await call(t, asKey, 'GET', '/permissions');
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(2);
    for (const p of list.body) expect(oasMismatches('permissions-get-200', p)).toEqual([]);
    const one = await call(t, asKey, 'GET', `/permissions/${list.body[0].id}`);
    expect(oasMismatches('permissions-id-get-200', one.body)).toEqual([]);
    expect(one.body).toMatchObject({ file_id: ids.a, access_type: 'user', access_id: 'alice', access_levels: ['list'] });
    const made = await grant(ids.b as string, 'user', 'bob', ['list', 'read']);
    expect(oasMismatches('permissions-post-200', made)).toEqual([]);
    expect((await call(t, asKey, 'DELETE', `/permissions/${made.id}`)).status).toBe(200);
    expect((await call(t, asKey, 'GET', `/permissions/${made.id}`)).status).toBe(404);
  });

  it('show a user only the way to what they hold, without paths', async () => {
    const root = await call(t, alice(), 'GET', `/files/${key.body.root_file_id}/files`);
    expect(root.status).toBe(200);
    expect(names(root)).toEqual(['a']);
    expect(root.body[0].path).toBeUndefined();
    expect((await call(t, alice(), 'GET', `/files/${ids.b}`)).status).toBe(403);
    expect((await call(t, alice(), 'GET', `/files/${ids.b}/files`)).status).toBe(403);
    expect(names(await call(t, alice(), 'GET', `/files/${ids.a}/files`))).toEqual(['deep', 'x.txt']);
  });

  it('are inherited downward and cumulative across the user and their groups', async () => {
    const deep = await call(t, alice(), 'GET', `/files/${ids.deep}/files?include=access_levels`);
    // list from alice's permission on a, read from the team's on deep.
    expect(deep.body[0]).toMatchObject({ name: 'y.txt', access_levels: ['list', 'read'] });
    const x = await call(t, alice(), 'GET', `/files/${ids['x.txt']}?include=access_levels`);
    expect(x.body.access_levels).toEqual(['list']);
    const noTeam = await call(t, alice({ groupIds: [] }), 'GET', `/files/${ids.deep}/files?include=access_levels`);
    expect(noTeam.body[0].access_levels).toEqual(['list']);
  });

  it('bind transfer setup: a download needs read on each source, an upload write on the destination', async () => {
    const setup = (route: string, request: unknown, headers = alice()) =>
      call(t, headers, 'POST', `/files/${route}`, { transfer_requests: [{ transfer_request: request }] });
    const notReadable = await setup('download_setup', { paths: [{ source: '/a/x.txt' }] });
    expect(notReadable.body.transfer_specs[0].error.code).toBe(403);
    const readable = await setup('download_setup', { paths: [{ source: '/a/deep/y.txt' }] });
    const res = await gatewayDownload(t.node.gatewayUrl, readable.body.transfer_specs[0].transfer_spec);
    expect(await res.text()).toBe('yy');
    const noWrite = await setup('upload_setup', { destination_root: '/a/deep', paths: [{ destination: 'new.txt', size: 2 }] });
    expect(noWrite.body.transfer_specs[0].error.code).toBe(403);
    await grant(ids.deep as string, 'user', 'alice', ['write']);
    const up = await setup('upload_setup', { destination_root: '/a/deep', paths: [{ destination: 'new.txt', size: 2 }] });
    const sent = await upload(t, up.body.transfer_specs[0].transfer_spec, [{ name: 'new.txt', data: new Blob(['ok']) }]);
    expect(sent.status).toBe(200);
    expect(await readFile(join(t.docroot, 'space/a/deep/new.txt'), 'utf8')).toBe('ok');
  });

  it('bind mkdir, rename and delete by id', async () => {
    expect((await call(t, alice(), 'POST', `/files/${ids.a}/files`, { name: 'new', type: 'folder' })).status).toBe(403);
    expect((await call(t, alice(), 'PUT', `/files/${ids['x.txt']}`, { name: 'x2.txt' })).status).toBe(403);
    expect((await call(t, alice(), 'DELETE', `/files/${ids['x.txt']}`)).status).toBe(403);
    await grant(ids.a as string, 'group', 'team', ['mkdir', 'rename']);
    expect((await call(t, alice(), 'POST', `/files/${ids.a}/files`, { name: 'new', type: 'folder' })).status).toBe(200);
    expect((await stat(join(t.docroot, 'space/a/new'))).isDirectory()).toBe(true);
    expect((await call(t, alice(), 'DELETE', `/files/${ids['x.txt']}`)).status).toBe(403);
    expect(await readFile(join(t.docroot, 'space/a/x.txt'), 'utf8')).toBe('x');
  });

  it('cannot be created or deleted by a user-scope token; an admin-scope token acts as the key', async () => {
    const body = { file_id: ids.b, access_type: 'user', access_id: 'alice', access_levels: ['list'] };
    expect((await call(t, alice(), 'POST', '/permissions', body)).status).toBe(403);
    const admin = alice({ scope: 'admin:all' });
    const root = await call(t, admin, 'GET', `/files/${key.body.root_file_id}/files`);
    expect(names(root)).toEqual(['a', 'b']);
    expect(root.body[1].path).toBe('/b');
    expect((await call(t, admin, 'POST', '/permissions', body)).status).toBe(200);
    expect(names(await call(t, alice(), 'GET', `/files/${key.body.root_file_id}/files`))).toEqual(['a', 'b']);
  });

  it('are not the node user’s: it has no access key', async () => {
    expect((await call(t, { authorization: t.auth }, 'GET', '/permissions')).status).toBe(400);
  });
});

describe('transfer specs under a bearer token (A3)', () => {
  const setup = async (route: string, request: unknown, headers = alice()) => {
    const res = await call(t, headers, 'POST', `/files/${route}`, { transfer_requests: [{ transfer_request: request }] });
    return res.body.transfer_specs[0];
  };
  const gatewayStatus = async (spec: Record<string, unknown>) => (await gatewayDownload(t.node.gatewayUrl, spec)).status;

  it('carry the bearer token and the access key, as ascli builds gen4 specs', async () => {
    const { transfer_spec: spec } = await setup('download_setup', { paths: [{ source: '/a/deep/y.txt' }] });
    const [scheme, token] = spec.token.split(' ');
    expect(scheme).toBe('Bearer');
    expect(alice().authorization).toContain(token.slice(0, 40));
    expect(spec.tags.aspera.node).toEqual({ access_key: key.id });
  });

  it('are checked by the gateway against the permissions for every path the client sends', async () => {
    const { transfer_spec: spec } = await setup('download_setup', { paths: [{ source: '/a/deep/y.txt' }] });
    expect(await gatewayStatus(spec)).toBe(200);
    // The client edits the spec: a file it may only list, a folder it holds nothing in, another key's storage.
    expect(await gatewayStatus({ ...spec, paths: [{ source: 'x.txt' }], source_root: '/space/a' })).toBe(403);
    expect(await gatewayStatus({ ...spec, paths: [{ source: '/space/b/z.txt' }], source_root: '' })).toBe(403);
    expect(await gatewayStatus({ ...spec, paths: [{ source: '/elsewhere' }], source_root: '' })).toBe(403);
    expect(
      await gatewayStatus({ ...spec, paths: [{ source: '/space/a/deep/y.txt' }, { source: '/space/a/x.txt' }], source_root: '' }),
    ).toBe(403);
  });

  it('are refused by the gateway with an expired, foreign or tampered token, or for another key', async () => {
    const { transfer_spec: spec } = await setup('download_setup', { paths: [{ source: '/a/deep/y.txt' }] });
    const expired = alice({ validity: -1 }).authorization;
    expect(await gatewayStatus({ ...spec, token: expired })).toBe(401);
    const foreign = bearerToken(otherPair.privateKey, { accessKey: key.id, userId: 'alice', groupIds: ['team'] });
    expect(await gatewayStatus({ ...spec, token: `Bearer ${foreign}` })).toBe(401);
    expect(await gatewayStatus({ ...spec, token: `Bearer ${flipOneBitOfPayload(spec.token.slice(7))}` })).toBe(401);
    expect(await gatewayStatus({ ...spec, tags: { aspera: { node: { access_key: otherKey.id } } } })).toBe(401);
  });

  it("hold even an admin-scope token to the key's storage", async () => {
    const admin = alice({ scope: 'admin:all' });
    const { transfer_spec: down } = await setup('download_setup', { paths: [{ source: '/b/z.txt' }] }, admin);
    expect(await gatewayStatus(down)).toBe(200);
    await writeFile(join(t.docroot, 'elsewhere/theirs.txt'), 'theirs');
    expect(await gatewayStatus({ ...down, paths: [{ source: '/elsewhere/theirs.txt' }], source_root: '' })).toBe(403);
    const { transfer_spec: up } = await setup(
      'upload_setup',
      { destination_root: '/b', paths: [{ destination: 'f.txt', size: 1 }] },
      admin,
    );
    const sent = await upload(t, { ...up, destination_root: '/elsewhere' }, [{ name: 'f.txt', data: new Blob(['f']) }]);
    expect(sent.status).toBe(403);
    await expect(stat(join(t.docroot, 'elsewhere/f.txt'))).rejects.toThrow();
  });

  it('let an upload land only where the user may write', async () => {
    const { transfer_spec: spec } = await setup('upload_setup', {
      destination_root: '/a/deep',
      paths: [{ destination: 'a3.txt', size: 2 }],
    });
    expect(spec.token).toMatch(/^Bearer /);
    const elsewhere = await upload(t, { ...spec, destination_root: '/space/b' }, [{ name: 'a3.txt', data: new Blob(['no']) }]);
    expect(elsewhere.status).toBe(403);
    const sent = await upload(t, spec, [{ name: 'a3.txt', data: new Blob(['a3']) }]);
    expect(sent.status).toBe(200);
    expect(await readFile(join(t.docroot, 'space/a/deep/a3.txt'), 'utf8')).toBe('a3');
    await expect(stat(join(t.docroot, 'space/b/a3.txt'))).rejects.toThrow();
  });
});

describe('file ids across a rename, a move and a restart', () => {
  it('keep following the file', async () => {
    const base = join(t.dir, 'restart');
    const first = await startTestNode({}, base);
    await mkdir(join(first.docroot, 'space/in'), { recursive: true });
    await writeFile(join(first.docroot, 'space/in/doc.txt'), 'doc');
    const made = await createKey(first, '/space');
    const k = basic(made.id, made.secret);
    const root = await call(first, k, 'GET', `/files/${made.body.root_file_id}/files`);
    const inId = root.body[0].id;
    const docId = (await call(first, k, 'GET', `/files/${inId}/files`)).body[0].id;
    expect((await call(first, k, 'PUT', `/files/${docId}`, { name: 'renamed.txt' })).status).toBe(204);
    expect((await call(first, k, 'PUT', `/files/${inId}`, { name: 'moved' })).status).toBe(204);
    // The gen3 path API moves ids too.
    await call(first, k, 'POST', '/files/rename', { paths: [{ path: '/moved', source: 'renamed.txt', destination: 'final.txt' }] });
    await first.close();
    const second = await startTestNode({}, base);
    try {
      const doc = await call(second, k, 'GET', `/files/${docId}`);
      expect(doc.status).toBe(200);
      expect(doc.body).toMatchObject({ id: docId, name: 'final.txt', path: '/moved/final.txt' });
      const listed = await call(second, k, 'GET', `/files/${inId}/files`);
      expect(listed.body.map((e: { id: string }) => e.id)).toEqual([docId]);
      expect((await call(second, k, 'DELETE', `/files/${docId}`)).status).toBe(204);
      expect((await call(second, k, 'GET', `/files/${docId}`)).status).toBe(404);
    } finally {
      await second.close();
    }
  });
});

/** Flips the lowest bit of one character of the payload inside a token, and re-deflates it. */
function flipOneBitOfPayload(token: string): string {
  const text = inflateSync(Buffer.from(token, 'base64'));
  const at = text.indexOf('alice');
  text[at] = (text[at] as number) ^ 1;
  return deflateSync(text).toString('base64');
}
