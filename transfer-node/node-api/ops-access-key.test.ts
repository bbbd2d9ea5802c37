import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayDownload } from '../../test-kit/gateway-download';
import { basic, call, createKey } from '../test/access-client';
import { bearerHeaders, bearerToken, rsaKeyPair } from '../test/bearer';
import { PORTAL_ORIGIN, startTestNode, upload, type TestNode } from '../test/node-harness';
import { exchange, openWs, specFrame, v1Frames, v2Frames } from '../test/ws-gateway-client';

// docs/node-api.md §6.4: an access key follows its own transfers on /ops/transfers, as the portal's
// tracker does for a node registered with one, and sees no other tenant's.
let t: TestNode;
let a: Record<string, string>;
let b: Record<string, string>;
let keyA: string;
const pair = rsaKeyPair();
const ids: Record<string, string> = {};

async function setupUpload(headers: Record<string, string>, tag: string) {
  const res = await call(t, headers, 'POST', '/files/upload_setup', {
    transfer_requests: [
      {
        transfer_request: {
          destination_root: '/',
          paths: [{ destination: `${tag}.txt`, size: 2 }],
          tags: { courier: { transfer_id: tag } },
        },
      },
    ],
  });
  expect(res.status).toBe(200);
  return res.body.transfer_specs[0].transfer_spec as Record<string, unknown>;
}

const tagsOf = (list: Array<{ start_spec: { tags: { courier?: { transfer_id?: string } } } }>) =>
  list.map((x) => x.start_spec.tags.courier?.transfer_id).sort();

beforeAll(async () => {
  t = await startTestNode();
  await mkdir(join(t.docroot, 'tenant-a'));
  await mkdir(join(t.docroot, 'tenant-b'));
  const ka = await createKey(t, '/tenant-a', { token_verification_key: pair.publicPem });
  const kb = await createKey(t, '/tenant-b');
  keyA = ka.id;
  a = basic(ka.id, ka.secret);
  b = basic(kb.id, kb.secret);
  for (const [who, headers] of [
    ['a', a],
    ['b', b],
  ] as const) {
    const spec = await setupUpload(headers, `up-${who}`);
    expect((await upload(t, spec, [{ name: `up-${who}.txt`, data: new Blob(['ok']) }])).status).toBe(200);
  }
  // A download under key A, and an A3 upload by a bearer-token user of key A (the admin scope: no permissions needed).
  const down = await call(t, a, 'POST', '/files/download_setup', {
    transfer_requests: [{ transfer_request: { paths: [{ source: '/up-a.txt' }], tags: { courier: { transfer_id: 'down-a' } } } }],
  });
  const got = await gatewayDownload(t.node.gatewayUrl, down.body.transfer_specs[0].transfer_spec);
  expect(got.status).toBe(200);
  const token = bearerToken(pair.privateKey, { accessKey: keyA, userId: 'alice', scope: 'admin:all' });
  const a3 = await setupUpload(bearerHeaders(keyA, token), 'a3-a');
  expect(a3.token).toMatch(/^Bearer /);
  expect((await upload(t, a3, [{ name: 'a3-a.txt', data: new Blob(['a3']) }])).status).toBe(200);
  // IBM's CLI uploads over the gateway's WebSocket (v2 binary frames, v1 base64 slices): the key's transfers too.
  for (const [version, frames] of [
    ['v2', v2Frames],
    ['v1', v1Frames],
  ] as const) {
    const spec = await setupUpload(a, `ws-${version}-a`);
    const file = { name: `ws-${version}-a.txt`, data: Buffer.from('ok') };
    const ws = await openWs(`${t.node.gatewayUrl}/${version}/upload`);
    const outcome = await exchange(ws, [specFrame({ ...spec, paths: [{ source: file.name }] }), ...frames([file])]);
    expect(outcome.error).toBeNull();
  }
  // The SPA's chunked upload session (docs/http-gateway.md §11), which it uses for large uploads.
  const sessionSpec = await setupUpload(a, 'session-a');
  const opened = await fetch(`${t.node.gatewayUrl}/v3/upload-sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: PORTAL_ORIGIN },
    body: JSON.stringify({
      transfer_spec: { ...sessionSpec, paths: [{ source: 'session-a.txt', destination: 'session-a.txt' }] },
      files: [{ size: 2 }],
    }),
  });
  expect(opened.status).toBe(201);
  const session = (await opened.json()).session_id as string;
  const part = await fetch(`${t.node.gatewayUrl}/v3/upload-sessions/${session}/files/0`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
    body: new Uint8Array(Buffer.from('ok')),
  });
  expect(part.status).toBeLessThan(300);
  const done = await fetch(`${t.node.gatewayUrl}/v3/upload-sessions/${session}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ files: [] }),
  });
  expect(done.status).toBe(200);
  for (const x of (await call(t, { authorization: t.auth }, 'GET', '/ops/transfers')).body)
    ids[x.start_spec.tags.courier.transfer_id] = x.id;
});
afterAll(() => t.close());

describe('/ops/transfers under an access key', () => {
  it('lists only the transfers set up under that key, uploads, downloads and A3 alike; the node user sees all', async () => {
    expect(tagsOf((await call(t, a, 'GET', '/ops/transfers')).body)).toEqual(['a3-a', 'down-a', 'session-a', 'up-a', 'ws-v1-a', 'ws-v2-a']);
    expect(tagsOf((await call(t, b, 'GET', '/ops/transfers')).body)).toEqual(['up-b']);
    expect(tagsOf((await call(t, { authorization: t.auth }, 'GET', '/ops/transfers')).body)).toEqual([
      'a3-a',
      'down-a',
      'session-a',
      'up-a',
      'up-b',
      'ws-v1-a',
      'ws-v2-a',
    ]);
    // Filters and paging still apply within the key's own.
    expect(tagsOf((await call(t, a, 'GET', '/ops/transfers?direction=receive')).body)).toEqual(['down-a']);
    expect(tagsOf((await call(t, a, 'GET', '/ops/transfers?tag=courier.transfer_id=up-b')).body)).toEqual([]);
    const page = await call(t, b, 'GET', '/ops/transfers');
    const next = /iteration_token=(\d+)/.exec(page.headers.get('link') ?? '')?.[1];
    expect((await call(t, b, 'GET', `/ops/transfers?iteration_token=${next}`)).body).toEqual([]);
  });

  it("answers another key's transfer as unknown (404), for reading and cancelling alike", async () => {
    expect((await call(t, a, 'GET', `/ops/transfers/${ids['up-a']}`)).status).toBe(200);
    expect((await call(t, b, 'GET', `/ops/transfers/${ids['up-a']}`)).status).toBe(404);
    expect((await call(t, b, 'PUT', `/ops/transfers/${ids['up-a']}`, { status: 'canceled' })).status).toBe(404);
    expect((await call(t, b, 'DELETE', `/ops/transfers/${ids['up-a']}`)).status).toBe(404);
    expect((await call(t, { authorization: t.auth }, 'GET', `/ops/transfers/${ids['up-b']}`)).status).toBe(200);
  });

  it('refuses a bearer-token user: the application follows its users’ transfers', async () => {
    const token = bearerToken(pair.privateKey, { accessKey: keyA, userId: 'alice' });
    expect((await call(t, bearerHeaders(keyA, token), 'GET', '/ops/transfers')).status).toBe(403);
  });
});
