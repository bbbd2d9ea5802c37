/**
 * Hostile inputs against file requests (docs/file-requests.md §3): guessed and malformed ids, a
 * request id used to read, path tricks in submitted names, replay after close, forged or borrowed
 * unlock cookies, a password in the URL, cross-site submissions, and the upload token used beyond
 * its submission. Each is refused with its status, and the space's folder on the node is unchanged.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { gatewayDownload } from '../../../test-kit/gateway-download';
import { gatewayUpload } from '../../../test-kit/gateway-upload';
import { createTestApp, embeddedNodeOf, type LoggedIn, type TestApp } from '../test-app';
import { DIALECTS } from '../test-database';
import { treeSnapshot } from '../../../test-kit/tree-snapshot';

interface Outcome {
  status: number;
  code?: string;
}
interface Case {
  name: string;
  status: number;
  code?: string;
  send: () => Promise<Outcome>;
}

let node: NodeProcess;
let t: TestApp;
let owner: LoggedIn;
let spaceRoot: string;
let openId: string;
let lockedId: string;
let closedId: string;
let otherLockedId: string;
let lockedCookie: string;
let submittedSpec: Record<string, unknown>;
const PASSWORD = 'correct request password';

async function guest(method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}): Promise<Outcome> {
  const r = await t.app.inject({ method, url, headers, remoteAddress: '192.0.2.44', ...(payload ? { payload } : {}) });
  const json = (r.body ? r.json() : {}) as { code?: string };
  return { status: r.statusCode, code: json.code };
}
const submit = (id: string, files: unknown, extra: object = {}, headers: Record<string, string> = {}) =>
  guest('POST', `/api/public/requests/${id}/submissions`, { files, ...extra }, headers);
const one = (path: string, size = 1) => [{ path, size }];

async function node4xx(r: Promise<Response>): Promise<Outcome> {
  const response = await r;
  await response.arrayBuffer().catch(() => undefined);
  // The node's refusals are 4xx; anything it accepted would be 200.
  return { status: response.status >= 400 && response.status < 500 ? 400 : response.status };
}

const cases: Case[] = [
  {
    name: 'a guessed id',
    status: 404,
    code: 'NOT_FOUND',
    send: () => guest('GET', `/api/public/requests/${randomBytes(18).toString('base64url')}`),
  },
  {
    name: 'a guessed id to submit to',
    status: 404,
    code: 'NOT_FOUND',
    send: () => submit(randomBytes(18).toString('base64url'), one('a')),
  },
  {
    name: 'an id one character off',
    status: 404,
    code: 'NOT_FOUND',
    // Another last character, whatever the random id ends with (1 in 64 ends with 'x').
    send: () => guest('GET', `/api/public/requests/${openId.slice(0, -1)}${openId.endsWith('x') ? 'y' : 'x'}`),
  },
  { name: 'an id with a path in it', status: 404, send: () => guest('GET', `/api/public/requests/..%2F..%2Fspaces`) },
  { name: 'an overlong id', status: 400, code: 'VALIDATION_FAILED', send: () => guest('GET', `/api/public/requests/${'a'.repeat(65)}`) },
  { name: 'the request id on the requester route, without a session', status: 401, send: () => guest('GET', `/api/requests/${openId}`) },
  { name: 'the request id as a space id, to list', status: 401, send: () => guest('GET', `/api/spaces/${openId}/files?path=/`) },
  { name: 'the request id to list its folder', status: 404, send: () => guest('GET', `/api/public/requests/${openId}/files`) },
  { name: 'the request id to list its submissions', status: 404, send: () => guest('GET', `/api/public/requests/${openId}/submissions`) },
  { name: 'the request id as a transfer to download', status: 401, send: () => guest('GET', `/api/transfers/${openId}`) },
  { name: 'a name climbing out', status: 400, code: 'INVALID_PATH', send: () => submit(openId, one('../outside.txt')) },
  { name: 'a name climbing out from inside', status: 400, code: 'INVALID_PATH', send: () => submit(openId, one('a/../../../outside.txt')) },
  { name: 'a backslash climb', status: 400, code: 'INVALID_PATH', send: () => submit(openId, one('..\\..\\outside.txt')) },
  { name: 'a NUL in a name', status: 400, code: 'INVALID_PATH', send: () => submit(openId, one('a\u0000.txt')) },
  { name: 'look-alike dots', status: 400, code: 'INVALID_PATH', send: () => submit(openId, one('\u2024\u2024/outside.txt')) },
  { name: 'a drive letter', status: 400, code: 'INVALID_PATH', send: () => submit(openId, one('C:\\Windows\\x')) },
  { name: 'the root as a file', status: 400, code: 'INVALID_PATH', send: () => submit(openId, one('/')) },
  {
    name: 'one file twice (the second would overwrite the first)',
    status: 400,
    send: () => submit(openId, [...one('same.txt'), ...one('./same.txt')]),
  },
  { name: 'a negative size', status: 400, code: 'VALIDATION_FAILED', send: () => submit(openId, one('a.txt', -1)) },
  { name: 'no files', status: 400, code: 'VALIDATION_FAILED', send: () => submit(openId, []) },
  {
    name: 'an overlong uploader name',
    status: 400,
    code: 'VALIDATION_FAILED',
    send: () => submit(openId, one('a'), { name: 'n'.repeat(101) }),
  },
  {
    name: 'more files than the request takes',
    status: 413,
    code: 'LIMIT_EXCEEDED',
    send: () =>
      submit(
        openId,
        Array.from({ length: 6 }, (_, i) => ({ path: `f${i}`, size: 1 })),
      ),
  },
  {
    name: 'more bytes than the request takes',
    status: 413,
    code: 'LIMIT_EXCEEDED',
    send: () => submit(openId, one('big.bin', 10_000_000)),
  },
  { name: 'a submission replayed after close', status: 410, code: 'REQUEST_CLOSED', send: () => submit(closedId, one('a')) },
  { name: 'a closed request opened', status: 410, code: 'REQUEST_CLOSED', send: () => guest('GET', `/api/public/requests/${closedId}`) },
  { name: 'a locked request without its password', status: 401, code: 'PASSWORD_REQUIRED', send: () => submit(lockedId, one('a')) },
  {
    name: 'the password in the URL instead of the unlock',
    status: 401,
    code: 'PASSWORD_REQUIRED',
    send: () => guest('POST', `/api/public/requests/${lockedId}/submissions?password=${encodeURIComponent(PASSWORD)}`, { files: one('a') }),
  },
  {
    name: "another request's unlock cookie",
    status: 401,
    code: 'PASSWORD_REQUIRED',
    send: () => submit(otherLockedId, one('a'), {}, { cookie: lockedCookie }),
  },
  {
    name: 'an unlock cookie with its expiry pushed out',
    status: 401,
    code: 'PASSWORD_REQUIRED',
    send: () => {
      const [, value] = lockedCookie.split('=');
      const [, mac] = (value ?? '').split('.');
      return submit(lockedId, one('a'), {}, { cookie: `courier_request_unlock=${Date.now() + 365 * 86_400_000}.${mac}` });
    },
  },
  {
    name: 'a cross-site submission',
    status: 403,
    code: 'CSRF_FAILED',
    send: () => submit(openId, one('a'), {}, { 'sec-fetch-site': 'cross-site' }),
  },
  {
    name: 'a cross-site unlock',
    status: 403,
    code: 'CSRF_FAILED',
    send: () => guest('POST', `/api/public/requests/${lockedId}/unlock`, { password: PASSWORD }, { origin: 'https://evil.example' }),
  },
  {
    name: "the submission's upload token used to download what it sent",
    status: 400,
    send: () => node4xx(gatewayDownload(node.gatewayUrl, { ...submittedSpec, direction: 'receive', paths: [{ source: 'sent.txt' }] })),
  },
  {
    name: "the submission's upload token aimed at the request's folder",
    status: 400,
    send: () =>
      node4xx(
        gatewayUpload(
          node.gatewayUrl,
          { ...submittedSpec, destination_root: String(submittedSpec.destination_root).replace(/\/[^/]+$/, '') },
          [{ path: 'smuggled.txt', data: 'x' }],
        ),
      ),
  },
  {
    name: "the submission's upload token replayed over what it sent",
    status: 400,
    send: () => node4xx(gatewayUpload(node.gatewayUrl, submittedSpec, [{ path: 'sent.txt', data: 'replaced' }])),
  },
  {
    name: "the submission's upload token with a climbing name",
    status: 400,
    send: () => node4xx(gatewayUpload(node.gatewayUrl, submittedSpec, [{ path: '../smuggled.txt', data: 'x' }])),
  },
];

describe.each(DIALECTS)('file request corpus on %s', (dialect) => {
  let before: string[];

  beforeAll(async () => {
    node = await startNodeProcess();
    t = await createTestApp(dialect, {}, { embeddedNode: embeddedNodeOf(node) });
    owner = await t.login('alice');
    const space = await t.api(owner, 'POST', '/api/spaces', { name: `Requests ${randomBytes(4).toString('hex')}` });
    const spaceId = space.json.id as string;
    const deadline = new Date(Date.now() + 86_400_000).toISOString();
    const create = async (fields: object) => {
      const r = await t.api(owner, 'POST', '/api/requests', { spaceId, folder: '/in', title: 'Corpus', deadline, ...fields });
      expect(r.status).toBe(201);
      return (r.json.request as { id: string }).id;
    };
    openId = await create({ maxFiles: 5, maxBytes: 1_000_000 });
    lockedId = await create({ password: PASSWORD });
    closedId = await create({});
    otherLockedId = await create({ password: 'another request password' });
    expect((await t.api(owner, 'DELETE', `/api/requests/${closedId}`)).status).toBe(200);
    const unlocked = await t.app.inject({
      method: 'POST',
      url: `/api/public/requests/${lockedId}/unlock`,
      payload: { password: PASSWORD },
    });
    const cookie = unlocked.cookies.find((c) => c.name === 'courier_request_unlock');
    lockedCookie = `courier_request_unlock=${cookie?.value}`;

    // One real submission, whose token the corpus then tries to stretch.
    const submitted = await t.app.inject({
      method: 'POST',
      url: `/api/public/requests/${openId}/submissions`,
      payload: { name: 'Guest', files: one('sent.txt', 4) },
    });
    expect(submitted.statusCode).toBe(201);
    submittedSpec = submitted.json<{ transferSpec: Record<string, unknown> }>().transferSpec;
    expect((await gatewayUpload(node.gatewayUrl, submittedSpec, [{ path: 'sent.txt', data: 'sent' }])).status).toBe(200);
    const root = await t.db.selectFrom('spaces').select('root_path').where('id', '=', spaceId).executeTakeFirstOrThrow();
    spaceRoot = join(node.docroot, root.root_path);
    before = await treeSnapshot(spaceRoot);
  });
  afterAll(async () => {
    await t?.close();
    await node?.stop();
  });

  it('has the link and request cases issue 14 names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('refuses: $name ($status)', async ({ send, status, code }) => {
    const outcome = await send();
    expect(outcome.status).toBe(status);
    if (code) expect(outcome.code).toBe(code);
  });

  it('left the space exactly as it was: one submission folder with what it sent, nothing smuggled', async () => {
    expect(await treeSnapshot(spaceRoot)).toEqual(before);
    expect(before.filter((l) => l.endsWith('/'))).toHaveLength(2); // /in/ and the submission's folder
    expect(before.some((l) => l.endsWith(`/sent.txt ${createHash('sha256').update('sent').digest('hex')}`))).toBe(true);
  });
});
