/**
 * Hostile inputs to the access-key, bearer-token, permission and file-id routes (docs/node-api.md §6):
 * each is refused with the stated status in the Node API error shape, and neither the docroot nor
 * a canary folder beside it changes.
 */
import { createSign, generateKeyPairSync } from 'node:crypto';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, call, createKey, type Answer } from './access-client';
import { bearerHeaders, rsaKeyPair, signPayload, type KeyPair } from './bearer';
import { gatewayDownload } from '../../test-kit/gateway-download';
import { startTestNode, upload, type TestNode } from './node-harness';
import { oasMismatches } from './oas-schema';
import { treeSnapshot } from '../../test-kit/tree-snapshot';

interface Case {
  name: string;
  status: number;
  send: () => Promise<Answer>;
}

let t: TestNode;
let pair: KeyPair;
let key: { id: string; secret: string; body: { root_file_id: string } };
let bare: { id: string; secret: string };
let neighbour: { id: string; secret: string; body: { root_file_id: string } };
let outside: string;
let before: string;
const ids: Record<string, string> = {};

const asKey = () => basic(key.id, key.secret);
const asNode = () => ({ authorization: t.auth });
const token = (payload: Record<string, unknown>) =>
  signPayload(
    JSON.stringify({
      user_id: 'u',
      scope: `node.${key.id}:user:all`,
      auth_type: 'access_key',
      expires_at: '2099-01-01T00:00:00Z',
      ...payload,
    }),
    pair.privateKey,
  );
const self = (headers: Record<string, string>) => () => call(t, headers, 'GET', '/self');
const bearer = (tokenText: string, keyId = key.id) => self(bearerHeaders(keyId, tokenText));
const newKey = (body: unknown) => () => call(t, asNode(), 'POST', '/access_keys', body);
const local = (path: unknown, extra: object = {}) => newKey({ storage: { type: 'local', path }, ...extra });
const raw = (method: string, path: string, body: string, headers: Record<string, string>) => () =>
  fetch(t.node.url + path, { method, headers: { ...headers, 'content-type': 'application/json' }, body }).then(async (res) => ({
    status: res.status,
    body: await res.json().catch(() => null),
    headers: res.headers,
  }));

const cases: Case[] = [
  // Credentials
  { name: 'Basic with an unknown access key id', status: 401, send: self(basic('no-such-key', 'secret-secret')) },
  { name: 'Basic with an access key and an empty secret', status: 401, send: () => self(basic(key.id, ''))() },
  { name: 'Basic with an access key and a wrong secret', status: 401, send: () => self(basic(key.id, key.secret + 'x'))() },
  {
    name: 'Basic with an access key id and no colon',
    status: 401,
    send: () => self({ authorization: 'Basic ' + Buffer.from(key.id).toString('base64') })(),
  },
  { name: 'bearer without X-Aspera-AccessKey', status: 401, send: () => self({ authorization: `Bearer ${token({})}` })() },
  { name: 'bearer with an unknown X-Aspera-AccessKey', status: 401, send: () => bearer(token({}), 'no-such-key')() },
  {
    name: 'bearer for a key without token_verification_key',
    status: 401,
    send: () => bearer(token({ scope: `node.${bare.id}:user:all` }), bare.id)(),
  },
  { name: 'bearer that is not base64', status: 401, send: () => bearer('%%%not-base64%%%')() },
  { name: 'bearer over 16 KiB', status: 401, send: () => bearer('A'.repeat(20_000))() },
  { name: 'bearer that is not deflated', status: 401, send: () => bearer(Buffer.from('plain text').toString('base64'))() },
  {
    name: 'bearer that inflates to 1 MiB (a deflate bomb)',
    status: 401,
    send: () => bearer(deflateSync(Buffer.alloc(1024 * 1024, 0x20)).toString('base64'))(),
  },
  { name: 'bearer without a signature', status: 401, send: () => bearer(deflateSync(Buffer.from('{"user_id":"u"}')).toString('base64'))() },
  { name: 'bearer payload that is not JSON', status: 401, send: () => bearer(signPayload('not json', pair.privateKey))() },
  { name: 'bearer payload without user_id', status: 401, send: () => bearer(token({ user_id: undefined }))() },
  { name: 'bearer with another auth_type', status: 401, send: () => bearer(token({ auth_type: 'password' }))() },
  { name: 'bearer whose expires_at is not a date', status: 401, send: () => bearer(token({ expires_at: 'tomorrow' }))() },
  { name: 'bearer with a scope of another key', status: 401, send: () => bearer(token({ scope: `node.${neighbour.id}:admin:all` }))() },
  {
    name: 'bearer with a scope that only starts like this key',
    status: 401,
    send: () => bearer(token({ scope: `node.${key.id}x:admin:all` }))(),
  },
  { name: 'bearer with an unknown scope', status: 401, send: () => bearer(token({ scope: `node.${key.id}:root:all` }))() },
  {
    name: 'bearer signed with SHA-256 instead of SHA-512',
    status: 401,
    send: () => {
      const payload = JSON.stringify({
        user_id: 'u',
        scope: `node.${key.id}:admin:all`,
        auth_type: 'access_key',
        expires_at: '2099-01-01T00:00:00Z',
      });
      const signature = createSign('sha256').update(payload).sign(pair.privateKey).toString('base64');
      return bearer(deflateSync(Buffer.from(`${payload}\n==SIGNATURE==\n${signature}\n`)).toString('base64'))();
    },
  },
  // Access keys
  { name: 'a key whose storage is dot-dot', status: 403, send: () => local('/../outside')() },
  { name: 'a key whose storage goes through a link out of the docroot', status: 403, send: () => local('/link-out')() },
  { name: 'a key whose storage holds a NUL', status: 400, send: () => local('/space\u0000')() },
  { name: 'a key whose storage is relative', status: 403, send: () => local('C:/space')() },
  { name: 'a key whose storage is not a string', status: 400, send: () => local(42)() },
  { name: 'a key whose id has a colon (Basic could not carry it)', status: 400, send: () => local('/space', { id: 'a:b' })() },
  { name: 'a key whose id is a path', status: 400, send: () => local('/space', { id: '../keys' })() },
  { name: 'a key whose secret is too short', status: 400, send: () => local('/space', { secret: 'short' })() },
  { name: 'a key whose secret is over 256 characters', status: 400, send: () => local('/space', { secret: 'x'.repeat(300) })() },
  {
    name: 'a key whose configuration is over 16 KiB',
    status: 400,
    send: () => local('/space', { configuration: { x: 'y'.repeat(17_000) } })(),
  },
  {
    name: 'a key whose token_verification_key is an EC key',
    status: 400,
    send: () => local('/space', { token_verification_key: ecPem() })(),
  },
  { name: 'a key created from malformed JSON', status: 400, send: () => raw('POST', '/access_keys', '{"storage":', asNode())() },
  {
    name: 'a key created by an access key',
    status: 403,
    send: () => call(t, asKey(), 'POST', '/access_keys', { storage: { type: 'local', path: '/' } }),
  },
  {
    name: 'a key created by a bearer token',
    status: 403,
    send: () =>
      call(t, bearerHeaders(key.id, token({ scope: `node.${key.id}:admin:all` })), 'POST', '/access_keys', {
        storage: { type: 'local', path: '/' },
      }),
  },
  {
    name: 'an access key moving its own storage to the docroot',
    status: 403,
    send: () => call(t, asKey(), 'PUT', `/access_keys/${key.id}`, { storage: { type: 'local', path: '/' } }),
  },
  {
    name: 'an access key changing another key',
    status: 404,
    send: () => call(t, asKey(), 'PUT', `/access_keys/${neighbour.id}`, { secret: 'taken over!' }),
  },
  {
    name: 'the node user moving a key out of the docroot',
    status: 403,
    send: () => call(t, asNode(), 'PUT', `/access_keys/${key.id}`, { storage: { type: 'local', path: '/..' } }),
  },
  { name: 'a change of an unknown key', status: 404, send: () => call(t, asNode(), 'PUT', '/access_keys/nope', { secret: 'whatever1' }) },
  { name: 'a delete of an unknown key', status: 404, send: () => call(t, asNode(), 'DELETE', '/access_keys/nope') },
  // File ids
  { name: 'a file id that is not a number', status: 400, send: () => call(t, asKey(), 'GET', '/files/abc') },
  { name: 'a file id of 16 digits', status: 400, send: () => call(t, asKey(), 'GET', `/files/${'9'.repeat(16)}`) },
  {
    name: "a file id of the neighbour's storage",
    status: 404,
    send: () => call(t, asKey(), 'GET', `/files/${neighbour.body.root_file_id}/files`),
  },
  { name: 'a file id never given', status: 404, send: () => call(t, asKey(), 'GET', '/files/987654') },
  { name: 'a listing of a file, not a folder', status: 409, send: () => call(t, asKey(), 'GET', `/files/${ids['doc.txt']}/files`) },
  {
    name: 'a listing with per_page 0',
    status: 400,
    send: () => call(t, asKey(), 'GET', `/files/${key.body.root_file_id}/files?per_page=0`),
  },
  {
    name: 'a listing with per_page 100000',
    status: 400,
    send: () => call(t, asKey(), 'GET', `/files/${key.body.root_file_id}/files?per_page=100000`),
  },
  {
    name: 'a folder named dot-dot',
    status: 403,
    send: () => call(t, asKey(), 'POST', `/files/${key.body.root_file_id}/files`, { name: '..', type: 'folder' }),
  },
  {
    name: 'a folder name with a NUL',
    status: 400,
    send: () => call(t, asKey(), 'POST', `/files/${key.body.root_file_id}/files`, { name: 'a\u0000b', type: 'folder' }),
  },
  {
    name: 'a folder name with a slash',
    status: 400,
    send: () => call(t, asKey(), 'POST', `/files/${key.body.root_file_id}/files`, { name: 'a/b', type: 'folder' }),
  },
  {
    name: 'a folder name with a backslash',
    status: 400,
    send: () => call(t, asKey(), 'POST', `/files/${key.body.root_file_id}/files`, { name: '..\\..', type: 'folder' }),
  },
  {
    name: 'a link created by id',
    status: 400,
    send: () => call(t, asKey(), 'POST', `/files/${key.body.root_file_id}/files`, { name: 'l', type: 'link', target_id: '1' }),
  },
  {
    name: 'a folder made inside a file',
    status: 409,
    send: () => call(t, asKey(), 'POST', `/files/${ids['doc.txt']}/files`, { name: 'x', type: 'folder' }),
  },
  {
    name: 'a folder made inside a link (a link id is not a folder)',
    status: 409,
    send: () => call(t, asKey(), 'POST', `/files/${ids['to-neighbour']}/files`, { name: 'x', type: 'folder' }),
  },
  {
    name: 'a rename to dot-dot',
    status: 403,
    send: () => call(t, asKey(), 'PUT', `/files/${ids['doc.txt']}`, { name: '../../stolen.txt' }),
  },
  {
    name: "a move into the neighbour's folder",
    status: 404,
    send: () => call(t, asKey(), 'PUT', `/files/${ids['doc.txt']}`, { parent_file_id: neighbour.body.root_file_id }),
  },
  {
    name: 'a move of a folder into itself',
    status: 400,
    send: () => call(t, asKey(), 'PUT', `/files/${ids.sub}`, { parent_file_id: ids.sub }),
  },
  {
    name: 'a rename of the storage root',
    status: 403,
    send: () => call(t, asKey(), 'PUT', `/files/${key.body.root_file_id}`, { name: 'renamed' }),
  },
  { name: 'a delete of the storage root', status: 403, send: () => call(t, asKey(), 'DELETE', `/files/${key.body.root_file_id}`) },
  {
    name: "a delete of the neighbour's root",
    status: 404,
    send: () => call(t, asKey(), 'DELETE', `/files/${neighbour.body.root_file_id}`),
  },
  // Permissions
  {
    name: 'a permission with an unknown access level',
    status: 400,
    send: () =>
      call(t, asKey(), 'POST', '/permissions', {
        file_id: key.body.root_file_id,
        access_type: 'user',
        access_id: 'u',
        access_levels: ['admin'],
      }),
  },
  {
    name: 'a permission with no access level',
    status: 400,
    send: () =>
      call(t, asKey(), 'POST', '/permissions', { file_id: key.body.root_file_id, access_type: 'user', access_id: 'u', access_levels: [] }),
  },
  {
    name: 'a permission for everyone',
    status: 400,
    send: () =>
      call(t, asKey(), 'POST', '/permissions', {
        file_id: key.body.root_file_id,
        access_type: 'everyone',
        access_id: 'u',
        access_levels: ['list'],
      }),
  },
  {
    name: "a permission on the neighbour's file",
    status: 404,
    send: () =>
      call(t, asKey(), 'POST', '/permissions', {
        file_id: neighbour.body.root_file_id,
        access_type: 'user',
        access_id: 'u',
        access_levels: ['list'],
      }),
  },
  {
    name: 'a permission on a file id never given',
    status: 404,
    send: () =>
      call(t, asKey(), 'POST', '/permissions', { file_id: '424242', access_type: 'user', access_id: 'u', access_levels: ['list'] }),
  },
  { name: 'a permission id that is not a number', status: 400, send: () => call(t, asKey(), 'GET', '/permissions/abc') },
  { name: "the neighbour's permission", status: 404, send: () => call(t, asKey(), 'GET', '/permissions/1') },
  { name: "a delete of the neighbour's permission", status: 404, send: () => call(t, asKey(), 'DELETE', '/permissions/1') },
  {
    name: 'a permission set by a user-scope token',
    status: 403,
    send: () =>
      call(t, bearerHeaders(key.id, token({})), 'POST', '/permissions', {
        file_id: key.body.root_file_id,
        access_type: 'user',
        access_id: 'u',
        access_levels: ['list'],
      }),
  },
  {
    name: 'a permission deleted by a user-scope token',
    status: 403,
    send: () => call(t, bearerHeaders(key.id, token({})), 'DELETE', '/permissions/2'),
  },
  // Bearer users without permissions
  {
    name: 'a bearer user listing the root it holds nothing in',
    status: 403,
    send: () => call(t, bearerHeaders(key.id, token({ user_id: 'nobody' })), 'GET', `/files/${key.body.root_file_id}/files`),
  },
  {
    name: 'a bearer user deleting a file',
    status: 403,
    send: () => call(t, bearerHeaders(key.id, token({})), 'DELETE', `/files/${ids['doc.txt']}`),
  },
  {
    name: 'a bearer user on the gen3 path API',
    status: 403,
    send: () => call(t, bearerHeaders(key.id, token({})), 'POST', '/files/delete', { paths: [{ path: '/doc.txt' }] }),
  },
  {
    name: 'a bearer user on the transfer records',
    status: 403,
    send: () => call(t, bearerHeaders(key.id, token({ scope: `node.${key.id}:admin:all` })), 'GET', '/ops/transfers'),
  },
];

// A3 specs at the gateway (docs/node-api.md §6.4), whose errors are `{ message, code }`.
const a3 = (payload: Record<string, unknown> = {}) => ({
  direction: 'receive',
  token: `Bearer ${token({ scope: `node.${key.id}:admin:all`, ...payload })}`,
  tags: { aspera: { node: { access_key: key.id } } },
  source_root: '',
  paths: [{ source: '/space/doc.txt' }],
});
const gatewayGet = (spec: Record<string, unknown>) => async (): Promise<Answer> => {
  const res = await gatewayDownload(t.node.gatewayUrl, spec);
  return { status: res.status, body: await res.json().catch(() => null), headers: res.headers };
};
const gatewayPut = (spec: Record<string, unknown>) => async (): Promise<Answer> => {
  const res = await upload(t, { ...spec, direction: 'send' }, [{ name: 'planted.txt', data: new Blob(['planted']) }]);
  return { status: res.status, body: await res.json().catch(() => null), headers: res.headers };
};
const gatewayCases: Case[] = [
  {
    name: 'an A3 spec for an unknown access key',
    status: 401,
    send: () => gatewayGet({ ...a3(), tags: { aspera: { node: { access_key: 'nope' } } } })(),
  },
  {
    name: 'an A3 spec whose access key is not a string',
    status: 401,
    send: () => gatewayGet({ ...a3(), tags: { aspera: { node: { access_key: 42 } } } })(),
  },
  { name: 'an A3 spec with an expired token', status: 401, send: () => gatewayGet(a3({ expires_at: '2000-01-01T00:00:00Z' }))() },
  {
    name: 'an A3 spec whose token is for another key',
    status: 401,
    send: () => gatewayGet(a3({ scope: `node.${neighbour.id}:admin:all` }))(),
  },
  { name: 'an A3 spec of a user with no read permission', status: 403, send: () => gatewayGet(a3({ scope: `node.${key.id}:user:all` }))() },
  {
    name: "an A3 admin spec naming the neighbour's file",
    status: 403,
    send: () => gatewayGet({ ...a3(), paths: [{ source: '/neighbour/theirs.txt' }] })(),
  },
  {
    name: 'an A3 admin spec going up by dot-dot',
    status: 403,
    send: () => gatewayGet({ ...a3(), paths: [{ source: '/space/../neighbour/theirs.txt' }] })(),
  },
  {
    name: 'an A3 admin spec going out through a link',
    status: 403,
    send: () => gatewayGet({ ...a3(), paths: [{ source: '/space/to-neighbour/theirs.txt' }] })(),
  },
  {
    name: "an A3 admin upload into the neighbour's folder",
    status: 403,
    send: () => gatewayPut({ ...a3(), destination_root: '/neighbour' })(),
  },
  { name: 'an A3 admin upload into the docroot', status: 403, send: () => gatewayPut({ ...a3(), destination_root: '/' })() },
  {
    name: 'an A3 upload of a user with no write permission',
    status: 403,
    send: () => gatewayPut({ ...a3({ scope: `node.${key.id}:user:all` }), destination_root: '/space/sub' })(),
  },
];

function ecPem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

beforeAll(async () => {
  t = await startTestNode({ limits: { authMaxFailures: 10_000 } });
  outside = join(t.dir, 'outside');
  await mkdir(outside);
  await writeFile(join(outside, 'secret.txt'), 'secret');
  await mkdir(join(t.docroot, 'space/sub'), { recursive: true });
  await mkdir(join(t.docroot, 'neighbour'), { recursive: true });
  await writeFile(join(t.docroot, 'space/doc.txt'), 'doc');
  await writeFile(join(t.docroot, 'neighbour/theirs.txt'), 'theirs');
  await symlink(outside, join(t.docroot, 'link-out'));
  await symlink('../neighbour', join(t.docroot, 'space/to-neighbour'));
  pair = rsaKeyPair();
  key = await createKey(t, '/space', { token_verification_key: pair.publicPem });
  bare = await createKey(t, '/space');
  neighbour = await createKey(t, '/neighbour');
  await call(t, basic(neighbour.id, neighbour.secret), 'POST', '/permissions', {
    file_id: neighbour.body.root_file_id,
    access_type: 'user',
    access_id: 'u',
    access_levels: ['list'],
  });
  for (const entry of (await call(t, asKey(), 'GET', `/files/${key.body.root_file_id}/files`)).body) ids[entry.name] = entry.id;
  // Permission 2, the user's own: visible to them, still not theirs to delete.
  await call(t, asKey(), 'POST', '/permissions', { file_id: ids.sub, access_type: 'user', access_id: 'u', access_levels: ['list'] });
  before = (await treeSnapshot(t.docroot)).join('\n') + '\n--\n' + (await treeSnapshot(outside)).join('\n');
});
afterAll(() => t.close());

describe('hostile input to access keys, bearer tokens, permissions and file ids', () => {
  it('has at least 60 hostile inputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases)('refuses: $name ($status)', async ({ send, status }) => {
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(oasMismatches('error', answer.body)).toEqual([]);
    expect(answer.body.error.code).toBe(status);
    expect(JSON.stringify(answer.body)).not.toContain(key.secret);
  });

  it.each(gatewayCases)('the gateway refuses: $name ($status)', async ({ send, status }) => {
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ code: status, message: expect.any(String) });
  });

  it('left the docroot and the canary beside it unchanged', async () => {
    expect((await treeSnapshot(t.docroot)).join('\n') + '\n--\n' + (await treeSnapshot(outside)).join('\n')).toBe(before);
  });

  it('still answers the key itself (no case locked it out or changed it)', async () => {
    const answer = await call(t, asKey(), 'GET', '/self');
    expect(answer.body).toMatchObject({ id: key.id, storage: { path: '/space' } });
  });
});
