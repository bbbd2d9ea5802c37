/**
 * Upload sessions outlive the node process (docs/http-gateway.md §11.5): a real node process,
 * killed with SIGKILL in the middle of a part, started again on the same folders and port, answers
 * the session's status with the ranges it held, takes the rest and lands the file byte-identical.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../test-kit/courier-process';
import { waitFor } from '../test/node-harness';

const MiB = 1024 * 1024;
let node: NodeProcess | undefined;
afterAll(() => node?.stop());

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

async function uploadSpec(n: NodeProcess, destination: string, extra: Record<string, unknown> = {}) {
  const res = await fetch(`${n.url}/files/upload_setup`, {
    method: 'POST',
    headers: { authorization: n.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ transfer_requests: [{ transfer_request: { paths: [{ destination }], ...extra } }] }),
  });
  return (await res.json()).transfer_specs[0].transfer_spec as Record<string, unknown>;
}

const createSession = (n: NodeProcess, spec: Record<string, unknown>, name: string, size: number) =>
  fetch(`${n.gatewayUrl}/v3/upload-sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ transfer_spec: { ...spec, paths: [{ source: name, destination: name }] }, files: [{ size }] }),
  });

const sendPart = (n: NodeProcess, id: string, offset: number, bytes: Buffer) =>
  fetch(`${n.gatewayUrl}/v3/upload-sessions/${id}/files/0`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) },
    body: new Uint8Array(bytes),
  });

const status = (n: NodeProcess, id: string) => fetch(`${n.gatewayUrl}/v3/upload-sessions/${id}`);

/** Every entry of the staging area that belongs to the session `id` (its folder is its id's hash). */
const leftovers = async (n: NodeProcess, id: string) =>
  (await readdir(join(n.docroot, '.courier-staging'), { recursive: true })).filter((p) => p.includes(sha256(id)));

describe('an upload session across a node killed with SIGKILL', () => {
  it('keeps the ranges it held, refuses a second use of its token, takes the rest and lands identical', async () => {
    node = await startNodeProcess();
    const data = randomBytes(8 * MiB + 5);
    const spec = await uploadSpec(node, '/Restart');
    const created = await createSession(node, spec, 'big.bin', data.length);
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { session_id: string }).session_id;
    // A token whose session cannot outlive the restart: it has expired by then.
    const short = await uploadSpec(node, '/Restart', { token_life_seconds: 1 });
    const doomed = ((await (await createSession(node, short, 'short.bin', 10)).json()) as { session_id: string }).session_id;
    expect(await leftovers(node, doomed)).not.toEqual([]);

    expect((await sendPart(node, id, 0, data.subarray(0, 3 * MiB))).status).toBe(204);
    expect((await sendPart(node, id, 6 * MiB, data.subarray(6 * MiB))).status).toBe(204);
    // A part in flight when the node dies: some of its bytes are on disk, none is claimed.
    const gateway = node.gatewayUrl;
    const cut = request(`${gateway}/v3/upload-sessions/${id}/files/0`, {
      method: 'PATCH',
      agent: false,
      headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(3 * MiB), 'content-length': String(3 * MiB) },
    });
    cut.on('error', () => undefined);
    cut.write(data.subarray(3 * MiB, 4 * MiB));
    await waitFor(async () => {
      const transfers = await (
        await fetch(`${node?.url}/ops/transfers?active_only=true`, { headers: { authorization: node?.auth ?? '' } })
      ).json();
      return (transfers as { bytes_transferred: number }[]).some((x) => x.bytes_transferred > 5 * MiB + 5);
    }, 20_000);
    await waitFor(async () => (await createSession(node as NodeProcess, short, 'short.bin', 10)).status === 401, 5_000);

    const port = Number(new URL(node.url).port);
    await node.kill();
    cut.destroy();
    node = await startNodeProcess({ dir: node.dir, port });

    const after = await status(node, id);
    expect(after.status).toBe(200);
    expect(((await after.json()) as { files: { received: number[][] }[] }).files[0]?.received).toEqual([
      [0, 3 * MiB],
      [6 * MiB, data.length],
    ]);
    expect(await exists(join(node.docroot, 'Restart', 'big.bin'))).toBe(false);
    // The session holds its token again: a second upload with it is refused while it lives.
    expect((await createSession(node, spec, 'big.bin', data.length)).status).toBe(409);
    // The expired token's session is gone, with all it had staged.
    expect((await status(node, doomed)).status).toBe(404);
    expect(await leftovers(node, doomed)).toEqual([]);

    expect((await sendPart(node, id, 3 * MiB, data.subarray(3 * MiB, 6 * MiB))).status).toBe(204);
    const done = await fetch(`${node.gatewayUrl}/v3/upload-sessions/${id}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ files: [{ size: data.length, sha256: sha256(data) }] }),
    });
    expect(done.status).toBe(200);
    expect(sha256(await readFile(join(node.docroot, 'Restart', 'big.bin')))).toBe(sha256(data));
    expect(await leftovers(node, id)).toEqual([]);
  });
});
