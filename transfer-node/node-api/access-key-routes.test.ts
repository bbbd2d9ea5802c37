import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayDownload } from '../../test-kit/gateway-download';
import { basic, call, createKey } from '../test/access-client';
import { startTestNode, upload, type TestNode } from '../test/node-harness';
import { oasMismatches } from '../test/oas-schema';
import { rsaKeyPair } from '../test/bearer';

let t: TestNode;
let key: { id: string; secret: string; body: Record<string, unknown> };
let asKey: Record<string, string>;
const node = () => ({ authorization: t.auth });

beforeAll(async () => {
  t = await startTestNode();
  await mkdir(join(t.docroot, 'tenant-a/docs'), { recursive: true });
  await mkdir(join(t.docroot, 'tenant-b'), { recursive: true });
  await writeFile(join(t.docroot, 'tenant-a/docs/readme.txt'), 'tenant a');
  await writeFile(join(t.docroot, 'tenant-b/secret.txt'), 'tenant b only');
  // Links a tenant could use to leave its root: to its neighbour, and to the docroot itself.
  await symlink('../../tenant-b', join(t.docroot, 'tenant-a/docs/to-b'));
  await symlink('..', join(t.docroot, 'tenant-a/up'));
  key = await createKey(t, '/tenant-a');
  asKey = basic(key.id, key.secret);
});
afterAll(() => t.close());

describe('POST /access_keys', () => {
  it('creates a key with a random id, answers the official shape and the secret once', async () => {
    expect(oasMismatches('accessKeyGETMetadata', key.body)).toEqual([]);
    expect(key.body).toMatchObject({ storage: { type: 'local', path: '/tenant-a' }, root_file_id: expect.stringMatching(/^\d+$/) });
    expect(key.id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(key.secret.length).toBeGreaterThanOrEqual(32);
    const other = await createKey(t, '/tenant-b');
    expect(other.id).not.toBe(key.id);
    expect(other.secret).not.toBe(key.secret);
  });

  it('never answers the secret again, and keeps only its scrypt hash on disk', async () => {
    const one = await call(t, node(), 'GET', `/access_keys/${key.id}`);
    const all = await call(t, node(), 'GET', '/access_keys');
    expect(one.status).toBe(200);
    expect(oasMismatches('accessKeyGETMetadata', one.body)).toEqual([]);
    expect(JSON.stringify([one.body, all.body])).not.toContain(key.secret);
    expect(all.body.map((k: { id: string }) => k.id)).toContain(key.id);
    const state = await readFile(join(t.stateDir, 'access-keys.json'), 'utf8');
    expect(state).not.toContain(key.secret);
    expect(state).toContain('scrypt$');
  });

  it('takes the id and secret the caller gives, and refuses the id twice', async () => {
    const given = await createKey(t, '/tenant-b', { id: 'portal-key', secret: 'a long enough secret' });
    expect(given).toMatchObject({ id: 'portal-key', secret: 'a long enough secret' });
    expect((await call(t, basic('portal-key', 'a long enough secret'), 'GET', '/self')).body.id).toBe('portal-key');
    const again = await call(t, node(), 'POST', '/access_keys', { id: 'portal-key', storage: { type: 'local', path: '/tenant-b' } });
    expect(again.status).toBe(409);
    expect(oasMismatches('error', again.body)).toEqual([]);
  });

  it('refuses a storage outside the docroot, missing, not a folder, or not local, with a clear error', async () => {
    const post = (body: unknown) => call(t, node(), 'POST', '/access_keys', body);
    expect((await post({ storage: { type: 'local', path: '/../etc' } })).status).toBe(403);
    expect((await post({ storage: { type: 'local', path: '/tenant-a/up' } })).status).toBe(403);
    expect((await post({ storage: { type: 'local', path: '/nowhere' } })).status).toBe(404);
    expect((await post({ storage: { type: 'local', path: '/tenant-a/docs/readme.txt' } })).status).toBe(409);
    const s3 = await post({ storage: { type: 'aws_s3', path: '/x' } });
    expect(s3.status).toBe(400);
    expect(s3.body.error.user_message).toMatch(/storage\.type/);
    expect((await post({})).status).toBe(400);
  });

  it('validates token_verification_key as an RSA public key, refusing a private one', async () => {
    const pair = rsaKeyPair();
    const ok = await createKey(t, '/tenant-b', { token_verification_key: pair.publicPem });
    expect(ok.body.token_verification_key).toBe(pair.publicPem);
    const post = (pem: string) =>
      call(t, node(), 'POST', '/access_keys', { storage: { type: 'local', path: '/tenant-b' }, token_verification_key: pem });
    expect((await post('not a key')).status).toBe(400);
    const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const refused = await post(privatePem);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).not.toContain('PRIVATE');
  });
});

describe('an access key with Basic auth', () => {
  it('sees itself at /self and /access_keys/self, and no other key', async () => {
    const self = await call(t, asKey, 'GET', '/self');
    expect(self.status).toBe(200);
    expect(oasMismatches('accessKeyGETMetadata', self.body)).toEqual([]);
    expect(self.body).toMatchObject({ id: key.id, storage: { path: '/tenant-a' } });
    expect((await call(t, asKey, 'GET', '/access_keys/self')).body.id).toBe(key.id);
    const list = await call(t, asKey, 'GET', '/access_keys');
    expect(list.body.map((k: { id: string }) => k.id)).toEqual([key.id]);
    expect((await call(t, asKey, 'GET', '/access_keys/portal-key')).status).toBe(404);
  });

  it('may not create, delete or move keys', async () => {
    expect((await call(t, asKey, 'POST', '/access_keys', { storage: { type: 'local', path: '/' } })).status).toBe(403);
    expect((await call(t, asKey, 'DELETE', `/access_keys/${key.id}`)).status).toBe(403);
    expect((await call(t, asKey, 'PUT', `/access_keys/${key.id}`, { storage: { type: 'local', path: '/' } })).status).toBe(403);
    expect((await call(t, asKey, 'GET', '/self')).body.storage.path).toBe('/tenant-a');
  });

  it('browses its own root as /', async () => {
    const root = await call(t, asKey, 'POST', '/files/browse', { path: '/' });
    expect(root.status).toBe(200);
    expect(root.body.items.map((i: { basename: string }) => i.basename)).toEqual(['docs', 'up']);
    const docs = await call(t, asKey, 'POST', '/files/browse', { path: '/docs' });
    expect(docs.body.items.find((i: { basename: string }) => i.basename === 'readme.txt')).toMatchObject({
      path: '/docs/readme.txt',
      size: 8,
    });
  });

  it('cannot leave its root by dot-dot, by a link, or by naming another tenant', async () => {
    const browse = (path: string) => call(t, asKey, 'POST', '/files/browse', { path });
    expect((await browse('/../tenant-b')).status).toBe(403);
    expect((await browse('/docs/to-b')).status).toBe(403);
    expect((await browse('/up')).status).toBe(403);
    expect((await browse('/tenant-b')).status).toBe(404);
    const created = await call(t, asKey, 'POST', '/files/create', { paths: [{ path: '/up/tenant-b/new', type: 'directory' }] });
    expect(created.body.paths[0].error.code).toBe(403);
    const deleted = await call(t, asKey, 'POST', '/files/delete', { paths: [{ path: '/docs/to-b/secret.txt' }] });
    expect(deleted.body.paths[0].error.code).toBe(403);
    const renamed = await call(t, asKey, 'POST', '/files/rename', {
      paths: [{ path: '/docs', source: 'readme.txt', destination: '../../stolen.txt' }],
    });
    expect(renamed.body.paths[0].error.code).toBe(403);
    expect(await readFile(join(t.docroot, 'tenant-b/secret.txt'), 'utf8')).toBe('tenant b only');
    expect(await readFile(join(t.docroot, 'tenant-a/docs/readme.txt'), 'utf8')).toBe('tenant a');
  });

  it('creates, renames and deletes inside its root, on the right files on disk', async () => {
    const created = await call(t, asKey, 'POST', '/files/create', { paths: [{ path: '/made', type: 'directory' }] });
    expect(created.body.paths).toEqual([{ path: '/made' }]);
    await call(t, asKey, 'POST', '/files/rename', { paths: [{ path: '/', source: 'made', destination: 'renamed' }] });
    const onDisk = await call(t, node(), 'POST', '/files/browse', { path: '/tenant-a' });
    expect(onDisk.body.items.map((i: { basename: string }) => i.basename)).toContain('renamed');
    await call(t, asKey, 'POST', '/files/delete', { paths: [{ path: '/renamed' }] });
    const after = await call(t, node(), 'POST', '/files/browse', { path: '/tenant-a' });
    expect(after.body.items.map((i: { basename: string }) => i.basename)).not.toContain('renamed');
  });

  it('sets up transfers inside its root only, and the gateway moves the right bytes', async () => {
    const setup = (route: string, request: unknown) =>
      call(t, asKey, 'POST', `/files/${route}`, { transfer_requests: [{ transfer_request: request }] });
    const escape = await setup('download_setup', { paths: [{ source: '/../tenant-b/secret.txt' }] });
    expect(escape.body.transfer_specs[0].error.code).toBe(403);
    const viaLink = await setup('download_setup', { paths: [{ source: '/docs/to-b/secret.txt' }] });
    expect(viaLink.body.transfer_specs[0].error.code).toBe(403);
    const outside = await setup('upload_setup', { destination_root: '/..', paths: [{ destination: 'x' }] });
    expect(outside.body.transfer_specs[0].error.code).toBe(403);

    const down = await setup('download_setup', { paths: [{ source: '/docs/readme.txt' }] });
    const res = await gatewayDownload(t.node.gatewayUrl, down.body.transfer_specs[0].transfer_spec);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('tenant a');

    const up = await setup('upload_setup', { destination_root: '/docs', paths: [{ destination: 'in.txt', size: 5 }] });
    const spec = up.body.transfer_specs[0].transfer_spec;
    const sent = await upload(t, spec, [{ name: 'in.txt', data: new Blob(['hello']) }]);
    expect(sent.status).toBe(200);
    expect(await readFile(join(t.docroot, 'tenant-a/docs/in.txt'), 'utf8')).toBe('hello');
  });

  it('may change its own secret and token key; the old secret stops working', async () => {
    const own = await createKey(t, '/tenant-b');
    const res = await call(t, basic(own.id, own.secret), 'PUT', `/access_keys/${own.id}`, { secret: 'the new secret value' });
    expect(res.status).toBe(204);
    expect((await call(t, basic(own.id, own.secret), 'GET', '/self')).status).toBe(401);
    expect((await call(t, basic(own.id, 'the new secret value'), 'GET', '/self')).status).toBe(200);
  });

  it('stops working once the node user deletes it', async () => {
    const gone = await createKey(t, '/tenant-b');
    expect((await call(t, basic(gone.id, gone.secret), 'GET', '/self')).status).toBe(200);
    expect((await call(t, node(), 'DELETE', `/access_keys/${gone.id}`)).status).toBe(204);
    expect((await call(t, basic(gone.id, gone.secret), 'GET', '/self')).status).toBe(401);
    expect((await call(t, node(), 'GET', `/access_keys/${gone.id}`)).status).toBe(404);
  });
});

describe('access keys across a restart and under the throttle', () => {
  it('keeps keys, their root file id, and refuses the old secret after a restart', async () => {
    const base = join(t.dir, 'restart');
    const first = await startTestNode({}, base);
    await mkdir(join(first.docroot, 'space'));
    const made = await createKey(first, '/space');
    await first.close();
    const second = await startTestNode({}, base);
    try {
      const self = await call(second, basic(made.id, made.secret), 'GET', '/self');
      expect(self.status).toBe(200);
      expect(self.body.root_file_id).toBe(made.body.root_file_id);
      expect((await call(second, basic(made.id, 'wrong secret!'), 'GET', '/self')).status).toBe(401);
    } finally {
      await second.close();
    }
  });

  it('counts wrong access-key secrets against the per-address throttle', async () => {
    const strict = await startTestNode({ limits: { authMaxFailures: 3 } });
    try {
      await mkdir(join(strict.docroot, 'space'));
      const made = await createKey(strict, '/space');
      for (let i = 0; i < 3; i++) expect((await call(strict, basic(made.id, `guess ${i}`), 'GET', '/self')).status).toBe(401);
      expect((await call(strict, basic(made.id, made.secret), 'GET', '/self')).status).toBe(429);
      expect((await call(strict, { authorization: strict.auth }, 'GET', '/info')).status).toBe(429);
    } finally {
      await strict.close();
    }
  });
});
