/**
 * Hostile inputs (paths, tokens, headers, multipart bodies): each is refused with the right status
 * and error shape, and neither the docroot nor a canary folder beside it changes.
 */
import { link, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specHeader } from '../../test-kit/gateway-download';
import { PORTAL_ORIGIN, startTestNode, type TestNode } from './node-harness';
import { zipEntries } from './zip-reader';
import { treeSnapshot } from '../../test-kit/tree-snapshot';

interface Outcome {
  status: number;
  body: unknown;
  headers: Headers;
}
interface Case {
  name: string;
  status: number;
  send: () => Promise<Outcome>;
}

let t: TestNode;
let foreign: TestNode;
let outside: string;
let before: string;

const json = async (res: Response): Promise<Outcome> => ({
  status: res.status,
  body: await res.json().catch(() => null),
  headers: res.headers,
});
const item =
  (key: 'paths' | 'transfer_specs') =>
  async (res: Response): Promise<Outcome> => {
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, { error?: { code: number } }[]>;
    const first = body[key]?.[0];
    return { status: first?.error?.code ?? 200, body: first, headers: res.headers };
  };
const api = (path: string, body: unknown, key: 'paths' | 'transfer_specs') => () => t.api(path, body).then(item(key));
const browse = (path: unknown) => () => t.api('/files/browse', { path }).then(json);
const search = (body: unknown) => () => t.api('/files/search', body).then(json);
const create = (path: string) => api('/files/create', { paths: [{ path, type: 'directory' }] }, 'paths');
const remove = (path: string) => api('/files/delete', { paths: [{ path }] }, 'paths');
const rename = (path: string, source: string, destination: string) =>
  api('/files/rename', { paths: [{ path, source, destination }] }, 'paths');
const downloadSetup = (paths: object[], extra: object = {}) =>
  api('/files/download_setup', { transfer_requests: [{ transfer_request: { paths, ...extra } }] }, 'transfer_specs');
const uploadSetup = (destination: string) =>
  api('/files/upload_setup', { transfer_requests: [{ transfer_request: { paths: [{ destination }] } }] }, 'transfer_specs');
const download =
  (spec: unknown, headers: Record<string, string> = {}) =>
  () =>
    fetch(t.node.gatewayUrl + '/v3/download', {
      headers: { 'x-aspera-spec': specHeader(spec as Record<string, unknown>), ...headers },
    }).then(json);
const rawDownload = (header: string) => () =>
  fetch(t.node.gatewayUrl + '/v3/download', { headers: { 'x-aspera-spec': header } }).then(json);
const node = (headers: Record<string, string>) => () => fetch(t.node.url + '/info', { headers }).then(json);

/** A multipart body from literal parts, so malformed ones can be sent too. */
function multipart(parts: { name: string; value: string | Buffer; filename?: string }[], close = true) {
  const boundary = 'corpusBoundary';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const filename = part.filename === undefined ? '' : `; filename="${part.filename}"`;
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\n\r\n`),
      Buffer.from(part.value),
      Buffer.from('\r\n'),
    );
  }
  if (close) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return () =>
    fetch(t.node.gatewayUrl + '/v3/upload', {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: Buffer.concat(chunks),
    }).then(json);
}
const specPart = (spec: object) => ({ name: 'x-aspera-spec', value: JSON.stringify(spec) });
const filePair = (name: string, data: string, length = String(Buffer.byteLength(data))) => [
  { name: 'Content-Length', value: length },
  { name: 'file', value: data, filename: name },
];
const uploadOne = (spec: object, name: string, data = 'x') =>
  multipart([specPart({ ...spec, paths: [{ source: name }] }), ...filePair(name, data)]);

let up: Record<string, unknown>;
let down: Record<string, unknown>;
let folderDown: Record<string, unknown>;
let foreignDown: Record<string, unknown>;
let expired: Record<string, unknown>;
let upAlpha: Record<string, unknown>;
let hardDown: Record<string, unknown>;

beforeAll(async () => {
  t = await startTestNode();
  outside = join(t.dir, 'outside');
  await mkdir(outside);
  await writeFile(join(outside, 'secret.txt'), 'secret');
  await mkdir(join(t.docroot, 'Outbox/proj'), { recursive: true });
  await mkdir(join(t.docroot, 'Upload/existing-folder'), { recursive: true });
  await writeFile(join(t.docroot, 'Outbox/report.txt'), 'report');
  await writeFile(join(t.docroot, 'Outbox/proj/a.txt'), 'a');
  await writeFile(join(t.docroot, 'Outbox/other.txt'), 'other');
  await symlink(outside, join(t.docroot, 'link-out'));
  await symlink(join(outside, 'secret.txt'), join(t.docroot, 'Upload/link-file'));
  await symlink(join(t.docroot, 'missing-target'), join(t.docroot, 'dangling'));
  // Links that stay inside the docroot but lead out of what a token covers.
  await mkdir(join(t.docroot, 'Private'));
  await writeFile(join(t.docroot, 'Private/payroll.txt'), 'private');
  await symlink(join(t.docroot, 'Private'), join(t.docroot, 'Outbox/proj/private-link'));
  await symlink(join(t.docroot, 'Outbox'), join(t.docroot, 'Upload/outbox-link'));
  // Issue 10 item 6: a link from one space into another, links to the staging area, hard links.
  await mkdir(join(t.docroot, 'spaces/alpha/docs/sub'), { recursive: true });
  await mkdir(join(t.docroot, 'spaces/beta'), { recursive: true });
  await writeFile(join(t.docroot, 'spaces/beta/b.txt'), 'beta');
  await writeFile(join(t.docroot, 'spaces/alpha/docs/sub/s.txt'), 'sub');
  await symlink('../../beta', join(t.docroot, 'spaces/alpha/docs/link'));
  await symlink('sub', join(t.docroot, 'spaces/alpha/docs/inner'));
  await symlink('.courier-staging', join(t.docroot, 'stage-link'));
  await symlink('../.courier-staging', join(t.docroot, 'Outbox/stage-deep'));
  await link(join(outside, 'secret.txt'), join(t.docroot, 'Outbox/hard.txt'));
  await link(join(t.docroot, 'Private/payroll.txt'), join(t.docroot, 'Outbox/proj/hard-inside.txt'));
  upAlpha = await t.uploadSpec('/spaces/alpha/docs');
  hardDown = await t.downloadSpec(['/Outbox/hard.txt']);
  up = await t.uploadSpec('/Upload');
  down = await t.downloadSpec(['/Outbox/report.txt']);
  folderDown = await t.downloadSpec(['/Outbox/proj']);
  expired = await t.downloadSpec(['/Outbox/report.txt'], { token_life_seconds: 1 });
  foreign = await startTestNode();
  await mkdir(join(foreign.docroot, 'Outbox'), { recursive: true });
  await writeFile(join(foreign.docroot, 'Outbox/report.txt'), 'foreign');
  foreignDown = await foreign.downloadSpec(['/Outbox/report.txt']);
  before = (await treeSnapshot(t.docroot)).join('\n') + '\n--\n' + (await treeSnapshot(outside)).join('\n');
  // Let the 1-second token expire before the corpus runs.
  await new Promise((r) => setTimeout(r, 1100));
});
afterAll(async () => {
  await t.close();
  await foreign.close();
});

const tamper = (token: string) => token.slice(0, 30) + (token[30] === 'A' ? 'B' : 'A') + token.slice(31);

const cases: Case[] = [
  // Paths through the Node API
  { name: 'create with leading dot-dot', status: 403, send: create('/../outside-new') },
  { name: 'create with inner dot-dot escape', status: 403, send: create('/a/../../outside-new') },
  { name: 'create with NUL byte', status: 400, send: create('/x\u0000y') },
  { name: 'create with backslash traversal', status: 400, send: create('/a\\..\\..\\b') },
  { name: 'create with fullwidth dots', status: 403, send: create('/\uff0e\uff0e/x') },
  { name: 'create with division slash', status: 403, send: create('/a\u2215..\u2215b') },
  { name: 'create with fullwidth solidus', status: 403, send: create('/a\uff0f..') },
  { name: 'create in the staging folder', status: 403, send: create('/.courier-staging/x') },
  { name: 'create through a link leaving the docroot', status: 403, send: create('/link-out/newdir') },
  { name: 'create with an over-long segment', status: 400, send: create('/' + 'x'.repeat(300)) },
  { name: 'create with a newline', status: 400, send: create('/a\nb') },
  { name: 'delete through a link leaving the docroot', status: 403, send: remove('/link-out/secret.txt') },
  { name: 'delete the docroot', status: 403, send: remove('/') },
  { name: 'delete with dot-dot', status: 403, send: remove('/../outside/secret.txt') },
  { name: 'delete the staging folder', status: 403, send: remove('/.courier-staging') },
  { name: 'rename a source outside', status: 403, send: rename('/', '../outside/secret.txt', 'stolen.txt') },
  { name: 'rename to a destination outside', status: 403, send: rename('/Outbox', 'report.txt', '../../stolen.txt') },
  { name: 'rename to an absolute destination', status: 403, send: rename('/Outbox', 'report.txt', '/etc/x') },
  { name: 'rename inside a link leaving the docroot', status: 403, send: rename('/link-out', 'secret.txt', 'x.txt') },
  { name: 'rename into the staging folder', status: 403, send: rename('/Outbox', 'report.txt', '.courier-staging') },
  { name: 'browse a link leaving the docroot', status: 403, send: browse('/link-out') },
  { name: 'browse dot-dot', status: 403, send: browse('/../') },
  { name: 'browse a drive letter', status: 403, send: browse('C:/Windows') },
  { name: 'browse a dangling link', status: 403, send: browse('/dangling') },
  { name: 'browse a 5,000-character path', status: 400, send: browse('/' + 'a/'.repeat(2500)) },
  { name: 'browse a non-string path', status: 400, send: browse(['/']) },
  { name: 'search through a link leaving the docroot', status: 403, send: search({ path: '/link-out' }) },
  { name: 'search dot-dot', status: 403, send: search({ path: '/../' }) },
  { name: 'search the staging folder', status: 403, send: search({ path: '/.courier-staging' }) },
  { name: 'search with 101 basename globs', status: 400, send: search({ path: '/', filters: { basenames: Array(101).fill('*') } }) },
  { name: 'search with a non-array filter', status: 400, send: search({ path: '/', filters: { paths: '*' } }) },
  // Transfer setup
  { name: 'download_setup through a link leaving the docroot', status: 403, send: downloadSetup([{ source: '/link-out/secret.txt' }]) },
  { name: 'download_setup with dot-dot', status: 403, send: downloadSetup([{ source: '../../etc/passwd' }]) },
  { name: 'download_setup with a dot-dot source_root', status: 403, send: downloadSetup([{ source: 'x' }], { source_root: '/..' }) },
  { name: 'upload_setup through a link leaving the docroot', status: 403, send: uploadSetup('/link-out') },
  { name: 'upload_setup onto a file', status: 409, send: uploadSetup('/Outbox/report.txt') },
  // Node API credentials
  { name: 'Node API without credentials', status: 401, send: node({}) },
  {
    name: 'Node API with a wrong password',
    status: 401,
    send: node({ authorization: 'Basic ' + Buffer.from('node_admin:wrong').toString('base64') }),
  },
  { name: 'Node API with a transfer token as Bearer', status: 401, send: () => node({ authorization: `Bearer ${down.token}` })() },
  { name: 'Node API with malformed Basic', status: 401, send: node({ authorization: 'Basic !!!' }) },
  {
    name: 'transfer PUT with a rate change the node would not apply',
    status: 400,
    send: () =>
      t
        .api('/ops/transfers/00000000-0000-4000-8000-000000000000', undefined, {
          method: 'PUT',
          body: JSON.stringify({ target_rate_kbps: 1 }),
          headers: { 'content-type': 'application/json' },
        })
        .then(json),
  },
  // Tokens at the gateway
  { name: 'download without a token', status: 401, send: () => download({ ...down, token: undefined })() },
  { name: 'download with a tampered token', status: 401, send: () => download({ ...down, token: tamper(down.token as string) })() },
  { name: 'download with a token from another node', status: 401, send: () => download(foreignDown)() },
  { name: 'download with an expired token', status: 401, send: () => download(expired)() },
  { name: 'download with an upload token', status: 403, send: () => download({ ...down, token: up.token })() },
  {
    name: 'download a path the token does not cover',
    status: 403,
    send: () => download({ ...down, paths: [{ source: '/Outbox/other.txt' }] })(),
  },
  {
    name: 'download a sibling through dot-dot in a covered folder',
    status: 403,
    send: () => download({ ...folderDown, paths: [{ source: '/Outbox/proj/../other.txt' }] })(),
  },
  {
    name: 'download with a source_root that widens the path',
    status: 403,
    send: () => download({ ...down, source_root: '/Outbox/..', paths: [{ source: 'other.txt' }] })(),
  },
  {
    name: 'download through an inner link out of the covered folder',
    status: 403,
    send: () => download({ ...folderDown, paths: [{ source: '/Outbox/proj/private-link/payroll.txt' }] })(),
  },
  { name: 'upload through an inner link out of the token folder', status: 403, send: () => uploadOne(up, 'outbox-link/planted.txt')() },
  {
    name: 'download with a garbage token of the right shape',
    status: 401,
    send: () => download({ ...down, token: 'ATC1_garbage_1CTA' })(),
  },
  { name: 'upload with a download token', status: 403, send: () => uploadOne({ ...up, token: down.token }, 'x.txt')() },
  { name: 'upload outside the token destination', status: 403, send: () => uploadOne({ ...up, destination_root: '/Outbox' }, 'x.txt')() },
  {
    name: 'presign with a tampered token',
    status: 401,
    send: () =>
      fetch(t.node.gatewayUrl + '/v3/presign', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ transfer_spec: { ...down, token: tamper(down.token as string) } }),
      }).then(json),
  },
  { name: 'signed URL with garbage', status: 401, send: () => fetch(t.node.gatewayUrl + '/v3/signed/not-a-real-signature').then(json) },
  {
    name: 'signed URL made from a transfer token',
    status: 401,
    send: () => fetch(t.node.gatewayUrl + '/v3/signed/' + (down.token as string).slice(5, -5)).then(json),
  },
  // Headers
  { name: 'X-Aspera-Spec not base64', status: 400, send: rawDownload('{"not":"base64"}') },
  { name: 'X-Aspera-Spec base64 of non-JSON', status: 400, send: rawDownload(Buffer.from('not json').toString('base64')) },
  { name: 'X-Aspera-Spec larger than allowed', status: 400, send: rawDownload('A'.repeat(200_000)) },
  { name: 'X-Aspera-Spec with paths not an array', status: 400, send: () => download({ ...down, paths: 'x' })() },
  { name: 'download spec with direction send', status: 400, send: () => download({ ...down, direction: 'send' })() },
  {
    name: 'preflight from another origin',
    status: 403,
    send: () =>
      fetch(t.node.gatewayUrl + '/v3/upload', {
        method: 'OPTIONS',
        headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
      }).then(json),
  },
  // Multipart bodies
  {
    name: 'upload with a JSON body',
    status: 415,
    send: () =>
      fetch(t.node.gatewayUrl + '/v3/upload', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: PORTAL_ORIGIN },
        body: '{}',
      }).then(json),
  },
  { name: 'upload with a file before the spec', status: 400, send: () => multipart([...filePair('a.txt', 'a'), specPart(up)])() },
  {
    name: 'upload with an invalid JSON spec',
    status: 400,
    send: () => multipart([{ name: 'x-aspera-spec', value: '{nope' }, ...filePair('a.txt', 'a')])(),
  },
  { name: 'upload with a dot-dot filename', status: 403, send: () => uploadOne(up, '../../escape.txt')() },
  { name: 'upload with an absolute filename', status: 403, send: () => uploadOne(up, '/etc/cron.d/x')() },
  { name: 'upload with a NUL in the path', status: 400, send: () => uploadOne(up, 'a\u0000b.txt')() },
  { name: 'upload with a backslash traversal', status: 400, send: () => uploadOne(up, '..\\..\\x.txt')() },
  { name: 'upload onto a link leaving the docroot', status: 403, send: () => uploadOne(up, 'link-file')() },
  {
    name: 'upload through a folder link leaving the docroot',
    status: 403,
    send: () => uploadOne({ ...up, destination_root: '/Upload' }, '../link-out/x.txt')(),
  },
  { name: 'upload into the staging folder', status: 403, send: () => uploadOne(up, '.courier-staging/x.txt')() },
  { name: 'upload onto an existing folder', status: 409, send: () => uploadOne(up, 'existing-folder')() },
  {
    name: 'upload larger than its Content-Length',
    status: 400,
    send: () => multipart([specPart({ ...up, paths: [{ source: 'a.txt' }] }), ...filePair('a.txt', 'abcdef', '3')])(),
  },
  {
    name: 'upload with a non-numeric Content-Length',
    status: 400,
    send: () => multipart([specPart({ ...up, paths: [{ source: 'a.txt' }] }), ...filePair('a.txt', 'a', '1e3')])(),
  },
  {
    name: 'upload without a Content-Length part',
    status: 400,
    send: () => multipart([specPart({ ...up, paths: [{ source: 'a.txt' }] }), { name: 'file', value: 'a', filename: 'a.txt' }])(),
  },
  { name: 'upload with two spec parts', status: 400, send: () => multipart([specPart(up), specPart(up), ...filePair('a.txt', 'a')])() },
  {
    name: 'upload with an unexpected part',
    status: 400,
    send: () => multipart([specPart(up), { name: 'evil', value: 'x' }, ...filePair('a.txt', 'a')])(),
  },
  { name: 'upload without file parts', status: 400, send: () => multipart([specPart(up)])() },
  {
    name: 'upload with an unterminated multipart body',
    status: 400,
    send: () => multipart([specPart({ ...up, paths: [{ source: 'a.txt' }] }), ...filePair('a.txt', 'a')], false)(),
  },
  // Links that leave the folder holding them, or reach the staging area (issue 10, item 6)
  { name: 'browse through a link from one space into another', status: 403, send: browse('/spaces/alpha/docs/link') },
  { name: 'browse a file through a link into another space', status: 403, send: browse('/spaces/alpha/docs/link/b.txt') },
  {
    name: 'download_setup through a link into another space',
    status: 403,
    send: downloadSetup([{ source: '/spaces/alpha/docs/link/b.txt' }]),
  },
  { name: 'upload_setup into another space through a link', status: 403, send: uploadSetup('/spaces/alpha/docs/link') },
  { name: 'create a folder through a link into another space', status: 403, send: create('/spaces/alpha/docs/link/new') },
  { name: 'rename inside another space through a link', status: 403, send: rename('/spaces/alpha/docs/link', 'b.txt', 'c.txt') },
  {
    name: 'rename a file out of another space through a link',
    status: 403,
    send: rename('/spaces/alpha/docs', 'link/b.txt', 'stolen.txt'),
  },
  { name: 'delete in another space through a link', status: 403, send: remove('/spaces/alpha/docs/link/b.txt') },
  {
    name: 'upload through a link from the token folder into another space',
    status: 403,
    send: () => uploadOne(upAlpha, 'link/planted.txt')(),
  },
  { name: 'browse the staging area through a link', status: 403, send: browse('/stage-link') },
  { name: 'browse the staging area through a link that climbs', status: 403, send: browse('/Outbox/stage-deep') },
  { name: 'create in the staging area through a link', status: 403, send: create('/stage-link/x') },
  { name: 'download_setup of the staging area through a link', status: 403, send: downloadSetup([{ source: '/stage-link' }]) },
  { name: 'upload_setup into the staging area through a link', status: 403, send: uploadSetup('/stage-link') },
  { name: 'download a hard link to a file outside the docroot', status: 403, send: () => download(hardDown)() },
];

describe('links inside the docroot', () => {
  it('lists the folder that holds a refused link, with the link itself and no target', async () => {
    const res = await t.apiJson('/files/browse', { path: '/spaces/alpha/docs' });
    const entry = res.items.find((i: { basename: string }) => i.basename === 'link');
    expect(entry).toMatchObject({ path: '/spaces/alpha/docs/link', type: 'symbolic_link' });
    expect(entry.target).toBeUndefined();
    const error = (await t.api('/files/browse', { path: '/spaces/alpha/docs/link' }).then(json)).body as {
      error: { user_message: string };
    };
    expect(error.error.user_message).toBe(
      'Symbolic link /spaces/alpha/docs/link is not followed: it leads outside the folder that holds it',
    );
  });

  it('still follows a link whose target stays inside the folder that holds it', async () => {
    const res = await t.apiJson('/files/browse', { path: '/spaces/alpha/docs/inner' });
    expect(res.items.map((i: { basename: string }) => i.basename)).toEqual(['s.txt']);
  });

  it('leaves a hard-linked file out of a folder zip, saying why', async () => {
    const res = await fetch(t.node.gatewayUrl + '/v3/download', {
      headers: { 'x-aspera-spec': specHeader({ ...folderDown, zip_required: true }) },
    });
    expect(res.status).toBe(200);
    const entries = await zipEntries(Buffer.from(await res.arrayBuffer()));
    expect(entries['proj/a.txt']).toBe('a');
    expect(entries['proj/hard-inside.txt']).toBeUndefined();
    expect(entries['courier-skipped-files.txt']).toContain('"proj/hard-inside.txt": the file has other hard links');
  });
});

describe('security corpus', () => {
  it('has at least 50 hostile inputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  it.each(cases)('refuses: $name ($status)', async ({ send, status }) => {
    const outcome = await send();
    expect(outcome.status).toBe(status);
    const body = outcome.body as Record<string, unknown> | null;
    // Every refusal explains itself in the shape of the API that refused.
    const message = body?.error ? (body.error as { user_message: string }).user_message : body?.message;
    expect(typeof message).toBe('string');
    // No answer, error or not, may be sniffed by a browser into something it renders or runs.
    expect(outcome.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('left the docroot, the canary beside it and the staging folder unchanged', async () => {
    const after = (await treeSnapshot(t.docroot)).join('\n') + '\n--\n' + (await treeSnapshot(outside)).join('\n');
    expect(after).toBe(before);
    expect(await readdir(join(t.docroot, '.courier-staging'))).toEqual([]);
  });
});
