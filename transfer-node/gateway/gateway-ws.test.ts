import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_ORIGIN, sha256, startTestNode, waitFor, type TestNode } from '../test/node-harness';
import { exchange, openWs, specFrame, v1Frames, v2Frames, type WsFile } from '../test/ws-gateway-client';
import { zipEntries } from '../test/zip-reader';

let t: TestNode;
const report = randomBytes(150_000);
beforeAll(async () => {
  t = await startTestNode();
  await mkdir(join(t.docroot, 'Outbox/proj/nested'), { recursive: true });
  await writeFile(join(t.docroot, 'Outbox/report.bin'), report);
  await writeFile(join(t.docroot, 'Outbox/proj/a.txt'), 'alpha');
  await writeFile(join(t.docroot, 'Outbox/proj/nested/b.txt'), 'bravo');
});
afterAll(() => t.close());

const staging = () => readdir(join(t.docroot, '.courier-staging'));
const tree: WsFile[] = [
  { name: 'tree/big.bin', data: randomBytes(200_001) },
  { name: 'tree/sub/one.bin', data: Buffer.from([7]) },
  { name: 'tree/sub/deep/empty.txt', data: Buffer.alloc(0) },
  { name: 'tree/été 日本.txt', data: Buffer.from('unicode') },
];
const withPaths = (spec: Record<string, unknown>, files: WsFile[]) => ({ ...spec, paths: files.map((f) => ({ source: f.name })) });
// A 1-second token: its expiry is whole seconds, so it is dead two seconds after setup at the latest.
const expired = async (setup: () => Promise<Record<string, unknown>>) => {
  const issued = Date.now();
  const spec = await setup();
  await waitFor(async () => Date.now() >= issued + 2000, 3000);
  return spec;
};
const tampered = (spec: Record<string, unknown>) => {
  const token = String(spec.token);
  const at = Math.floor(token.length / 2);
  return { ...spec, token: token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1) };
};

describe('GET /v1/info', () => {
  it('names the v2 upload among its endpoints and a version below 3', async () => {
    const res = await fetch(t.node.gatewayUrl + '/v1/info');
    expect(res.status).toBe(200);
    const info = await res.json();
    expect(info.endpoints).toContain('/aspera/http-gwy/v2/upload');
    expect(info.endpoints).toContain('/aspera/http-gwy/v1/download');
    expect(Number(info.version.split('.')[0])).toBeLessThan(3);
    expect(typeof info.name).toBe('string');
  });
});

describe('WebSocket upload', () => {
  it('v2: stores a folder tree whose SHA-256 match, acknowledged as IBM clients expect, and records it', async () => {
    const spec = await t.uploadSpec('/Inbox/v2', { tags: { courier: { transfer_id: 'ws-v2' } } });
    const frames = v2Frames(tree);
    const outcome = await exchange(await openWs(t.node.gatewayUrl + '/v2/upload'), [specFrame(withPaths(spec, tree)), ...frames]);
    expect(outcome.error).toBeNull();
    expect(outcome.acks[0]).toBe('end upload');
    expect(outcome.acks.slice(1)).toEqual(frames.map((f) => (typeof f === 'string' ? 'end_slice_upload' : 'end upload')));
    for (const file of tree) expect(sha256(await readFile(join(t.docroot, 'Inbox/v2', file.name)))).toBe(sha256(file.data));
    expect(await staging()).toEqual([]);
    const transfers = await t.apiJson('/ops/transfers?tag=courier.transfer_id=ws-v2');
    expect(transfers).toHaveLength(1);
    expect(transfers[0]).toMatchObject({ status: 'completed', files_completed: 4 });
  });

  it('v1: stores base64 slices', async () => {
    const files = [{ name: 'one.bin', data: randomBytes(130_000) }];
    const spec = await t.uploadSpec('/Inbox/v1');
    const outcome = await exchange(await openWs(t.node.gatewayUrl + '/v1/upload'), [specFrame(withPaths(spec, files)), ...v1Frames(files)]);
    expect(outcome.error).toBeNull();
    expect(outcome.acks).toEqual(['end upload', 'end upload', 'end upload', 'end upload']);
    expect(sha256(await readFile(join(t.docroot, 'Inbox/v1/one.bin')))).toBe(sha256(files[0]?.data ?? Buffer.alloc(0)));
  });

  it('stores what ascli sends without waiting for answers and closes at once (its default)', async () => {
    const spec = await t.uploadSpec('/Inbox/async', { tags: { courier: { transfer_id: 'ws-async' } } });
    const ws = await openWs(t.node.gatewayUrl + '/v2/upload');
    for (const frame of [specFrame(withPaths(spec, tree)), ...v2Frames(tree)]) ws.send(frame);
    ws.close(1000);
    const [record] = await waitFor(async () => {
      const list = await t.apiJson('/ops/transfers?tag=courier.transfer_id=ws-async');
      return list[0]?.status !== 'running' && list;
    });
    expect(record).toMatchObject({ status: 'completed', files_completed: 4 });
    for (const file of tree) expect(sha256(await readFile(join(t.docroot, 'Inbox/async', file.name)))).toBe(sha256(file.data));
  });

  it.each([
    ['a path climbing out of the destination', '../escape.bin', 403],
    ['an absolute path', '/etc/escape.bin', 403],
  ])('refuses %s', async (_name, source, code) => {
    const spec = await t.uploadSpec('/Inbox/hostile');
    const files = [{ name: 'x.bin', data: Buffer.from('x') }];
    const outcome = await exchange(await openWs(t.node.gatewayUrl + '/v2/upload'), [
      specFrame({ ...spec, paths: [{ source }] }),
      ...v2Frames(files),
    ]);
    expect(outcome.error?.code).toBe(code);
    await expect(readFile(join(t.docroot, 'Inbox/escape.bin'))).rejects.toThrow();
    await expect(readdir(join(t.docroot, 'Inbox/hostile'))).rejects.toThrow();
  });

  it('creates the empty files ascli declares with file_size 0 and never sends', async () => {
    const files = [
      { name: 'empty.txt', data: Buffer.alloc(0) },
      { name: 'full.txt', data: Buffer.from('full') },
    ];
    const spec = await t.uploadSpec('/Inbox/ascli');
    const paths = files.map((f) => ({ source: f.name, file_size: f.data.length }));
    const outcome = await exchange(await openWs(t.node.gatewayUrl + '/v2/upload'), [
      specFrame({ ...spec, paths }),
      // The empty file's two headers left out, as ascli sends nothing for it.
      ...v2Frames(files).slice(2),
    ]);
    expect(outcome.error).toBeNull();
    expect(await readFile(join(t.docroot, 'Inbox/ascli/empty.txt'), 'utf8')).toBe('');
    expect(await readFile(join(t.docroot, 'Inbox/ascli/full.txt'), 'utf8')).toBe('full');
  });

  it('leaves nothing under a final name when the client goes away before the last file', async () => {
    const spec = await t.uploadSpec('/Inbox/cut', { tags: { courier: { transfer_id: 'ws-cut' } } });
    const frames = v2Frames(tree);
    // Everything but the last file's closing header.
    const outcome = await exchange(await openWs(t.node.gatewayUrl + '/v2/upload'), [
      specFrame(withPaths(spec, tree)),
      ...frames.slice(0, -1),
    ]);
    expect(outcome.error).toBeNull();
    const [record] = await waitFor(async () => {
      const list = await t.apiJson('/ops/transfers?tag=courier.transfer_id=ws-cut');
      return list[0]?.status === 'failed' && list;
    });
    expect(record.error_code).toBe(499);
    await expect(readdir(join(t.docroot, 'Inbox/cut'))).rejects.toThrow();
    expect(await waitFor(async () => (await staging()).length === 0 && 'empty')).toBe('empty');
  });

  const refusals: Array<[string, () => Promise<Record<string, unknown>>, number]> = [
    ['a tampered token', async () => tampered(await t.uploadSpec('/Inbox/refused')), 401],
    ['an expired token', () => expired(() => t.uploadSpec('/Inbox/refused', { token_life_seconds: 1 })), 401],
    ['a download token', async () => ({ ...(await t.downloadSpec(['/Outbox/report.bin'])), direction: 'send' }), 403],
  ];
  it.each(refusals)('refuses %s with a JSON message and writes nothing', async (_name, makeSpec, code) => {
    const spec = await makeSpec();
    const files = [{ name: 'x.bin', data: Buffer.from('x') }];
    const outcome = await exchange(await openWs(t.node.gatewayUrl + '/v2/upload'), [specFrame(withPaths(spec, files)), ...v2Frames(files)]);
    expect(outcome.error?.code).toBe(code);
    expect(outcome.error?.message).toMatch(/token/i);
    expect(outcome.acks).toEqual([]);
    await expect(readdir(join(t.docroot, 'Inbox/refused'))).rejects.toThrow();
  });

  it('refuses more bytes than the header announced, a slice before the spec, and binary frames on v1', async () => {
    const spec = await t.uploadSpec('/Inbox/bad');
    const files = [{ name: 'x.bin', data: Buffer.from('xyz') }];
    const header = JSON.stringify({ slice_upload: { name: 'x.bin', size: 2, slice: 0, total_slices: 1, fileIndex: 0 } });
    const over = await exchange(await openWs(t.node.gatewayUrl + '/v2/upload'), [
      specFrame(withPaths(spec, files)),
      header,
      files[0]!.data,
    ]);
    expect(over.error?.message).toMatch(/larger than its announced size/);
    const early = await exchange(await openWs(t.node.gatewayUrl + '/v2/upload'), [header]);
    expect(early.error).toMatchObject({ code: 400, message: 'The first message must be the transfer_spec' });
    const spec2 = await t.uploadSpec('/Inbox/bad2');
    const v1 = await exchange(await openWs(t.node.gatewayUrl + '/v1/upload'), [specFrame(withPaths(spec2, files)), Buffer.from('xyz')]);
    expect(v1.error?.message).toMatch(/base64 in JSON/);
    expect(await waitFor(async () => (await staging()).length === 0 && 'empty')).toBe('empty');
  });

  it('refuses a page from an origin the node does not serve, and unknown socket paths', async () => {
    await expect(openWs(t.node.gatewayUrl + '/v2/upload', { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    await expect(openWs(t.node.gatewayUrl + '/v3/upload')).rejects.toThrow(/404/);
    const ws = await openWs(t.node.gatewayUrl + '/v2/upload', { origin: PORTAL_ORIGIN });
    ws.close();
  });
});

describe('v1 download', () => {
  const start = (spec: Record<string, unknown>) =>
    fetch(t.node.gatewayUrl + '/v1/download', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ transfer_spec: spec }),
    });

  it('answers a url whose last segment is the id, then serves the file with its SHA-256', async () => {
    const res = await start(await t.downloadSpec(['/Outbox/report.bin']));
    expect(res.status).toBe(200);
    const { url, transfer_spec_id: id } = await res.json();
    expect(url).toBe(`${t.node.gatewayUrl}/v1/download/${id}`);
    const file = await fetch(`${t.node.gatewayUrl}/v1/download/${url.split('/').pop()}`);
    expect(file.status).toBe(200);
    expect(sha256(Buffer.from(await file.arrayBuffer()))).toBe(sha256(report));
  });

  it('serves a folder as a zip named after download_name', async () => {
    const spec = await t.downloadSpec(['/Outbox/proj']);
    const { url } = await (await start({ ...spec, download_name: 'proj' })).json();
    const zip = await fetch(url);
    expect(zip.headers.get('content-disposition')).toContain('filename="proj.zip"');
    expect(await zipEntries(Buffer.from(await zip.arrayBuffer()))).toEqual({
      'proj/': '<dir>',
      'proj/a.txt': 'alpha',
      'proj/nested/': '<dir>',
      'proj/nested/b.txt': 'bravo',
    });
  });

  const refusals: Array<[string, () => Promise<Record<string, unknown>>, number]> = [
    ['a tampered token', async () => tampered(await t.downloadSpec(['/Outbox/report.bin'])), 401],
    ['an expired token', () => expired(() => t.downloadSpec(['/Outbox/report.bin'], { token_life_seconds: 1 })), 401],
    [
      'an upload token',
      async () => ({ ...(await t.uploadSpec('/Outbox')), direction: 'receive', paths: [{ source: '/Outbox/report.bin' }] }),
      403,
    ],
  ];
  it.each(refusals)('refuses %s', async (_name, makeSpec, code) => {
    const res = await start(await makeSpec());
    expect(res.status).toBe(code);
    expect((await res.json()).message).toMatch(/token/i);
  });

  it('refuses a forged id', async () => {
    const res = await start(await t.downloadSpec(['/Outbox/report.bin']));
    const { transfer_spec_id: id } = await res.json();
    const forged = await fetch(`${t.node.gatewayUrl}/v1/download/${id.slice(0, -2)}${id.endsWith('AA') ? 'BB' : 'AA'}`);
    expect(forged.status).toBe(401);
  });
});
