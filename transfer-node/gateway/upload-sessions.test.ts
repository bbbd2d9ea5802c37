/**
 * Chunked, resumable uploads (docs/http-gateway.md §11) against a real node over HTTP, with real
 * files on disk: sessions, parts in any order and at once, ranges held, completion checks, expiry.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_ORIGIN, sha256, startTestNode, upload, waitFor, type TestNode } from '../test/node-harness';

let t: TestNode;
beforeAll(async () => {
  t = await startTestNode();
});
afterAll(() => t.close());

const stagingTree = async (node = t) => (await readdir(join(node.docroot, '.courier-staging'), { recursive: true })).sort();
/** The staged files of sessions (the staging area's `sessions/<key>/<k>.partial`). */
const staging = async (node = t) => (await stagingTree(node)).filter((p) => p.endsWith('.partial'));
/** What a session left in the staging area (its folder, state and staged files), or any session's. */
const leftovers = async (id?: string, node = t) =>
  (await stagingTree(node)).filter((p) => p !== 'sessions' && (id === undefined || p.includes(sha256(Buffer.from(id)))));
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

async function createSession(spec: Record<string, unknown>, files: { name: string; size: number }[], node = t) {
  return fetch(`${node.node.gatewayUrl}/v3/upload-sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: PORTAL_ORIGIN },
    body: JSON.stringify({
      transfer_spec: { ...spec, paths: files.map((f) => ({ source: f.name, destination: f.name })) },
      files: files.map((f) => ({ size: f.size })),
    }),
  });
}

async function openSession(spec: Record<string, unknown>, files: { name: string; size: number }[], node = t) {
  const res = await createSession(spec, files, node);
  expect(res.status).toBe(201);
  return (await res.json()) as { session_id: string; files: { path: string; size: number; received: number[][] }[] };
}

function sendPart(id: string, index: number, offset: number, bytes: Uint8Array, node = t, headers: Record<string, string> = {}) {
  return fetch(`${node.node.gatewayUrl}/v3/upload-sessions/${id}/files/${index}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset), ...headers },
    body: new Uint8Array(bytes),
  });
}

const status = async (id: string, node = t) => (await fetch(`${node.node.gatewayUrl}/v3/upload-sessions/${id}`)).json();

function complete(id: string, files: { size?: number; sha256?: string }[] = [], node = t) {
  return fetch(`${node.node.gatewayUrl}/v3/upload-sessions/${id}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ files }),
  });
}

/** A part whose body stops after `sent` of its `length` bytes, held open until `abort()`. */
function heldPart(id: string, index: number, offset: number, length: number, sent: Buffer) {
  const req = request(`${t.node.gatewayUrl}/v3/upload-sessions/${id}/files/${index}`, {
    method: 'PATCH',
    agent: false,
    headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset), 'content-length': String(length) },
  });
  req.on('error', () => undefined);
  req.write(sent);
  return { abort: () => req.destroy() };
}

describe('upload sessions', () => {
  it('are advertised in the gateway info with their largest part', async () => {
    const info = await (await fetch(`${t.node.gatewayUrl}/info`)).json();
    expect(info.courier_upload_sessions).toEqual({ version: 1, path: '/v3/upload-sessions', part_size_max: 64 * 1024 * 1024 });
  });

  it('store a file sent as parts out of order and at once, nothing under the final name until completion', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const spec = await t.uploadSpec('/Chunks', { tags: { portal: { share: 'c1' } } });
    const session = await openSession(spec, [
      { name: 'big.bin', size: data.length },
      { name: 'empty.bin', size: 0 },
    ]);
    expect(session.files).toEqual([
      { path: '/Chunks/big.bin', size: data.length, received: [] },
      { path: '/Chunks/empty.bin', size: 0, received: [] },
    ]);
    const mib = 1024 * 1024;
    const answers = await Promise.all([
      sendPart(session.session_id, 0, 3 * mib, data.subarray(3 * mib)),
      sendPart(session.session_id, 0, mib, data.subarray(mib, 2 * mib)),
      sendPart(session.session_id, 0, 2 * mib, data.subarray(2 * mib, 3 * mib)),
    ]);
    expect(answers.map((a) => a.status)).toEqual([204, 204, 204]);
    expect(answers[1]?.headers.get('upload-offset')).toBe(String(2 * mib));
    expect((await status(session.session_id)).files[0].received).toEqual([[mib, data.length]]);
    expect(await exists(join(t.docroot, 'Chunks/big.bin'))).toBe(false);
    expect(await staging()).toHaveLength(1);
    // The session's folder: its state and the one staged file a part was written into.
    expect((await leftovers(session.session_id)).map((p) => p.replace(/[0-9a-f]{64}/, 'K'))).toEqual([
      'sessions/K',
      'sessions/K/0.partial',
      'sessions/K/session.json',
    ]);

    expect((await sendPart(session.session_id, 0, 0, data.subarray(0, mib))).status).toBe(204);
    const done = await complete(session.session_id, [{ size: data.length, sha256: sha256(data) }, { sha256: sha256(Buffer.alloc(0)) }]);
    expect(done.status).toBe(200);
    const body = await done.json();
    expect(body.files).toEqual(['/Chunks/big.bin', '/Chunks/empty.bin']);
    expect(sha256(await readFile(join(t.docroot, 'Chunks/big.bin')))).toBe(sha256(data));
    expect((await readFile(join(t.docroot, 'Chunks/empty.bin'))).length).toBe(0);
    expect(await leftovers(session.session_id)).toEqual([]);

    // The record is what a v3 upload leaves (docs/node-api.md §5).
    const transfer = await t.apiJson(`/ops/transfers/${body.transfer_id}`);
    expect(transfer).toMatchObject({
      status: 'completed',
      bytes_transferred: data.length,
      files_completed: 2,
      start_spec: { direction: 'send', destination_path: '/Chunks', tags: { portal: { share: 'c1' } } },
      files: [
        { path: '/Chunks/big.bin', status: 'completed', size: data.length, bytes_written: data.length },
        { path: '/Chunks/empty.bin', status: 'completed', size: 0 },
      ],
      error_code: 0,
    });
    // A completed session is gone, and its token spent.
    expect((await fetch(`${t.node.gatewayUrl}/v3/upload-sessions/${session.session_id}`)).status).toBe(404);
    expect((await createSession(spec, [{ name: 'again.bin', size: 1 }])).status).toBe(403);
  });

  it('accept a part sent again over bytes already held and count those bytes once', async () => {
    const data = randomBytes(1000);
    const spec = await t.uploadSpec('/Overlap');
    const session = await openSession(spec, [{ name: 'o.bin', size: 1000 }]);
    await sendPart(session.session_id, 0, 0, data.subarray(0, 600));
    expect((await sendPart(session.session_id, 0, 400, data.subarray(400))).status).toBe(204);
    expect((await status(session.session_id)).files[0].received).toEqual([[0, 1000]]);
    const body = await (await complete(session.session_id, [{ sha256: sha256(data) }])).json();
    expect((await t.apiJson(`/ops/transfers/${body.transfer_id}`)).bytes_transferred).toBe(1000);
    expect(sha256(await readFile(join(t.docroot, 'Overlap/o.bin')))).toBe(sha256(data));
  });

  it('refuse a part over bytes another part is still writing, and keep what a cut part wrote', async () => {
    const spec = await t.uploadSpec('/Cut');
    const data = randomBytes(200_000);
    const session = await openSession(spec, [{ name: 'c.bin', size: data.length }]);
    const held = heldPart(session.session_id, 0, 0, 100_000, data.subarray(0, 60_000));
    await waitFor(async () =>
      (await t.apiJson('/ops/transfers?active_only=true')).some((x: { bytes_transferred: number }) => x.bytes_transferred >= 60_000),
    );
    const clash = await sendPart(session.session_id, 0, 50_000, data.subarray(50_000, 150_000), t, { origin: PORTAL_ORIGIN });
    expect(clash.status).toBe(409);
    expect(clash.headers.get('access-control-allow-origin')).toBe(PORTAL_ORIGIN);
    expect((await clash.json()).message).toMatch(/already being received/);
    held.abort();
    const received = await waitFor(async () => {
      const files = (await status(session.session_id)).files;
      return files[0].received.length > 0 ? (files[0].received as number[][]) : null;
    });
    expect(received).toEqual([[0, 60_000]]);
    // The cut attempt is recorded as a cut v3 upload is; the session waits for the rest.
    const cutDest = (r: { start_spec: { destination_path: string } }) => r.start_spec.destination_path === '/Cut';
    type Attempt = { status: string; start_spec: { destination_path: string } };
    const attempts = async () => ((await t.apiJson('/ops/transfers')) as Attempt[]).filter(cutDest);
    expect(await attempts()).toMatchObject([{ status: 'failed', error_code: 499, bytes_transferred: 60_000 }]);
    const early = await complete(session.session_id);
    expect(early.status).toBe(409);
    expect((await early.json()).message).toMatch(/missing 140000 of its 200000 bytes \(from byte 60000\)/);
    expect((await sendPart(session.session_id, 0, 60_000, data.subarray(60_000))).status).toBe(204);
    expect((await complete(session.session_id, [{ sha256: sha256(data) }])).status).toBe(200);
    expect(sha256(await readFile(join(t.docroot, 'Cut/c.bin')))).toBe(sha256(data));
    // The part after the cut began a new attempt, which completed with every byte.
    expect((await attempts()).map((a) => a.status).sort()).toEqual(['completed', 'failed']);
    expect((await attempts()).find((a) => a.status === 'completed')).toMatchObject({ bytes_transferred: 200_000, files_completed: 1 });
  });

  it('write a part of many MiB at its offset, and keep what reached the disk when it is cut mid-way', async () => {
    const mib = 1024 * 1024;
    const data = randomBytes(11 * mib + 5);
    const spec = await t.uploadSpec('/Gathered');
    const session = await openSession(spec, [{ name: 'g.bin', size: data.length }]);
    const cutAt = 5 * mib + 60_000;
    const held = heldPart(session.session_id, 0, mib, 10 * mib + 5, data.subarray(mib, cutAt));
    await waitFor(async () =>
      (await t.apiJson('/ops/transfers?active_only=true')).some((x: { bytes_transferred: number }) => x.bytes_transferred >= cutAt - mib),
    );
    held.abort();
    const received = await waitFor(async () => {
      const files = (await status(session.session_id)).files;
      return files[0].received.length > 0 ? (files[0].received as number[][]) : null;
    });
    // What was still on its way to the disk when the connection died is not held, the rest is.
    const [[from, to] = []] = received;
    expect(from).toBe(mib);
    expect(to).toBeGreaterThan(2 * mib);
    expect(to).toBeLessThanOrEqual(cutAt);
    const answers = await Promise.all([
      sendPart(session.session_id, 0, 0, data.subarray(0, mib)),
      sendPart(session.session_id, 0, to as number, data.subarray(to)),
    ]);
    expect(answers.map((a) => a.status)).toEqual([204, 204]);
    expect((await complete(session.session_id, [{ size: data.length, sha256: sha256(data) }])).status).toBe(200);
    expect(sha256(await readFile(join(t.docroot, 'Gathered/g.bin')))).toBe(sha256(data));
  });

  it('refuse bad offsets, lengths, files and sessions with a clear error', async () => {
    const spec = await t.uploadSpec('/Bad');
    const session = await openSession(spec, [{ name: 'b.bin', size: 100 }]);
    const id = session.session_id;
    const cases: [Promise<Response>, number, RegExp][] = [
      [sendPart(id, 0, 90, randomBytes(11)), 400, /ends at byte 101, past the 100 bytes/],
      [sendPart(id, 0, 0, new Uint8Array(0)), 400, /at least one byte/],
      [sendPart(id, 1, 0, randomBytes(1)), 404, /no file 1/],
      [sendPart(id, 0, 0, randomBytes(1), t, { 'upload-offset': '-1' }), 400, /Upload-Offset/],
      [sendPart(id, 0, 0, randomBytes(1), t, { 'upload-offset': '1e3' }), 400, /Upload-Offset/],
      [sendPart('A'.repeat(43), 0, 0, randomBytes(1)), 404, /No such upload session/],
      [sendPart('short', 0, 0, randomBytes(1)), 404, /No such upload session/],
      [complete(id, [{ size: 99 }]), 400, /announced with 100 bytes, not 99/],
    ];
    for (const [answer, code, message] of cases) {
      const res = await answer;
      expect(res.status).toBe(code);
      expect((await res.json()).message).toMatch(message);
    }
    expect((await status(id)).files[0].received).toEqual([]);
    expect(await staging()).toEqual([]);
    await fetch(`${t.node.gatewayUrl}/v3/upload-sessions/${id}`, { method: 'DELETE' });
  });

  it('refuse a file whose SHA-256 differs at completion, leaving nothing behind and the failure recorded', async () => {
    const spec = await t.uploadSpec('/Sum');
    const data = randomBytes(5000);
    const session = await openSession(spec, [{ name: 's.bin', size: 5000 }]);
    await sendPart(session.session_id, 0, 0, data);
    const res = await complete(session.session_id, [{ sha256: sha256(Buffer.from('something else')) }]);
    expect(res.status).toBe(422);
    expect((await res.json()).message).toMatch(/\/Sum\/s\.bin does not have the SHA-256/);
    expect(await exists(join(t.docroot, 'Sum/s.bin'))).toBe(false);
    expect(await leftovers(session.session_id)).toEqual([]);
    const records = await t.apiJson('/ops/transfers');
    expect(records.find((r: { start_spec: { destination_path: string } }) => r.start_spec.destination_path === '/Sum')).toMatchObject({
      status: 'failed',
      error_code: 422,
    });
  });

  it('refuse a tampered, expired or foreign token, and a second session on a token in use', async () => {
    const spec = await t.uploadSpec('/Tok');
    const tampered = await createSession({ ...spec, token: `${spec.token.slice(0, -4)}AAAA` }, [{ name: 'a', size: 1 }]);
    expect(tampered.status).toBe(401);
    const outside = await createSession({ ...spec, destination_root: '/Elsewhere' }, [{ name: 'a', size: 1 }]);
    expect(outside.status).toBe(403);
    const escape = await createSession(spec, [{ name: '../up.txt', size: 1 }]);
    expect(escape.status).toBe(403);
    const miscount = await fetch(`${t.node.gatewayUrl}/v3/upload-sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ transfer_spec: { ...spec, paths: [{ source: 'a' }] }, files: [] }),
    });
    expect(miscount.status).toBe(400);
    const first = await openSession(spec, [{ name: 'a', size: 1 }]);
    const second = await createSession(spec, [{ name: 'a', size: 1 }]);
    expect(second.status).toBe(409);
    // A v3 upload with the token in use is refused too: one token carries one upload.
    expect((await upload(t, spec, [{ name: 'a', data: new Blob(['x']) }])).status).toBe(409);
    await fetch(`${t.node.gatewayUrl}/v3/upload-sessions/${first.session_id}`, { method: 'DELETE' });

    const short = await t.uploadSpec('/Tok', { token_life_seconds: 1 });
    await waitFor(async () => (await createSession(short, [{ name: 'a', size: 1 }])).status === 401, 4000);
  });

  it('are canceled by DELETE: staged files removed, the record canceled, the token usable again', async () => {
    const spec = await t.uploadSpec('/Cancel');
    const session = await openSession(spec, [{ name: 'x.bin', size: 10 }]);
    await sendPart(session.session_id, 0, 0, randomBytes(5));
    expect(await staging()).toHaveLength(1);
    const res = await fetch(`${t.node.gatewayUrl}/v3/upload-sessions/${session.session_id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await leftovers(session.session_id)).toEqual([]);
    expect((await sendPart(session.session_id, 0, 5, randomBytes(5))).status).toBe(404);
    const records = await t.apiJson('/ops/transfers');
    expect(records.find((r: { start_spec: { destination_path: string } }) => r.start_spec.destination_path === '/Cancel')).toMatchObject({
      status: 'canceled',
    });
    expect((await createSession(spec, [{ name: 'x.bin', size: 10 }])).status).toBe(201);
  });
});

describe('an idle upload session', () => {
  it('expires: its staged files are removed, its record failed and its token usable again', async () => {
    const node = await startTestNode({ limits: { uploadSessionIdleMs: 400 } });
    try {
      const spec = await node.uploadSpec('/Idle');
      const session = await openSession(spec, [{ name: 'i.bin', size: 10 }], node);
      expect((await sendPart(session.session_id, 0, 0, randomBytes(4), node)).status).toBe(204);
      await waitFor(async () => (await leftovers(undefined, node)).length === 0);
      expect((await fetch(`${node.node.gatewayUrl}/v3/upload-sessions/${session.session_id}`)).status).toBe(404);
      const records = await node.apiJson('/ops/transfers');
      expect(records[0]).toMatchObject({ status: 'failed', error_code: 408, error_desc: 'The upload session expired' });
      expect((await createSession(spec, [{ name: 'i.bin', size: 10 }], node)).status).toBe(201);
    } finally {
      await node.close();
    }
  });
});

describe('an upload session across a clean stop of the node', () => {
  it('is kept: the node started again on the same folders holds its ranges and completes it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'courier-node-stop-'));
    let node = await startTestNode({}, dir);
    try {
      const data = randomBytes(3000);
      const spec = await node.uploadSpec('/Stopped');
      const session = await openSession(spec, [{ name: 'k.bin', size: 3000 }], node);
      expect((await sendPart(session.session_id, 0, 1000, data.subarray(1000, 2000), node)).status).toBe(204);
      await node.close();
      node = await startTestNode({}, dir);
      expect((await status(session.session_id, node)).files[0].received).toEqual([[1000, 2000]]);
      // The attempt the stop cut is failed, and says the upload can go on.
      expect((await node.apiJson('/ops/transfers'))[0]).toMatchObject({ status: 'failed', error_code: 503 });
      await sendPart(session.session_id, 0, 0, data.subarray(0, 1000), node);
      await sendPart(session.session_id, 0, 2000, data.subarray(2000), node);
      expect((await complete(session.session_id, [{ sha256: sha256(data) }], node)).status).toBe(200);
      expect(sha256(await readFile(join(node.docroot, 'Stopped/k.bin')))).toBe(sha256(data));
    } finally {
      await node.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
