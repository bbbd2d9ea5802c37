/**
 * SIGKILL of the transfer node in the middle of a transfer, seen through the portal: a user
 * authorizes a 500 MB upload (then a folder download) with `POST /api/transfers`, the gateway
 * carries it until bytes are moving, the node process is killed and started again on the same
 * state, docroot and port. No truncated file under a final name, no partial, the client saw an
 * error, the portal records the transfer as failed with the node's reason, and a fresh
 * authorization carries the same bytes to the end.
 */
import { randomFillSync } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test/test-app';
import type { NodeProcess } from '../../test-kit/courier-process';
import { startNode, tempDir } from '../lib/processes';
import { Agent, completeSession, heldRanges, missing, openSession, sendParts, sha256File, uploadFile } from './gateway-io';
import { heldDownload } from '../../test-kit/gateway-download';
import { heldUpload } from '../../test-kit/gateway-upload';
import { readZipHashes } from './zip-hashes';

const MiB = 1024 * 1024;
// The "500 MB upload".
const UPLOAD_BYTES = 500 * MiB;
// A folder of three files, one in a subfolder, sent as one zip.
const FOLDER_FILE_BYTES = 64 * MiB;
// The client holds after this many bytes; the node is killed once it has some of them.
const HOLD_AT = 96 * MiB;
const MOVING_BYTES = 32 * MiB;
// Polling bounds: generous for a slow, shared machine; nothing here asserts a duration.
const DEADLINE_MS = 90_000;
const NODE_STOPPED = 'The node stopped during the transfer';
// The chunked upload (docs/http-gateway.md §11): small, since what is tested is what survives the kill.
const CHUNKED_BYTES = 96 * MiB + 7;
const PART_BYTES = 16 * MiB;

interface PortalTransfer {
  transfer: { id: string };
  transferSpec: Record<string, unknown>;
  clients: Array<{ type: string; url?: string }>;
}

let work: string;
let node: NodeProcess;
let portal: TestApp;
let session: { cookie: string; csrfToken: string };
let spaceId: string;
let spaceDir: string;

async function api<T>(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object): Promise<T> {
  const response = await portal.app.inject({
    method,
    url,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    ...(payload ? { payload } : {}),
  });
  if (response.statusCode >= 400) throw new Error(`${method} ${url} → ${response.statusCode} ${response.body}`);
  return response.json<T>();
}

async function until<T>(what: string, read: () => T | Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface TransferRecord {
  status: string;
  error: string | null;
  bytesTransferred: number;
}

const record = (id: string) => api<TransferRecord>('GET', `/api/transfers/${id}`);
/** The portal's own tracker (every 200 ms in tests) is what must bring the record to its end. */
const recordReaches = (id: string, status: string) =>
  until(
    `transfer ${id} to become ${status}`,
    () => record(id),
    (r) => r.status === status,
  );

function gatewayOf(t: PortalTransfer): string {
  const url = t.clients.find((c) => c.type === 'http-gateway')?.url;
  if (!url) throw new Error('the portal offered no HTTP Gateway');
  return url;
}

/** Every path under the docroot but the staging folder's content, to catch a partial left anywhere. */
function docrootTree(): string[] {
  return (readdirSync(node.docroot, { recursive: true }) as string[]).filter((p) => !p.startsWith(`.courier-staging${path.sep}`)).sort();
}

const staging = () => readdirSync(path.join(node.docroot, '.courier-staging'));

function writeRandomFile(file: string, bytes: number): void {
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(16 * MiB);
  for (let written = 0; written < bytes; written += block.length)
    writeSync(fd, randomFillSync(block), 0, Math.min(block.length, bytes - written));
  closeSync(fd);
}

/** SIGKILL, then the same node again on the same folders and port, so the portal's node URL holds. */
async function killAndRestart(): Promise<void> {
  const port = Number(new URL(node.url).port);
  await node.kill();
  node = await startNode({ dir: node.dir, port });
}

beforeAll(async () => {
  work = tempDir('node-kill');
  node = await startNode();
  const [username, password] = Buffer.from(node.auth.slice('Basic '.length), 'base64').toString().split(':') as [string, string];
  portal = await createTestApp('sqlite', {}, { embeddedNode: { url: node.url, username, secret: password, gatewayUrl: node.gatewayUrl } });
  session = await portal.login('alice');
  spaceId = (await api<{ id: string }>('POST', '/api/spaces', { name: 'Faults', rootPath: '/spaces/faults' })).id;
  spaceDir = path.join(node.docroot, 'spaces', 'faults');
});

afterAll(async () => {
  await portal?.close();
  await node?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the node killed mid-transfer', () => {
  it('during a 500 MB upload: no file under its name, no partial, recorded as failed, and a retry lands byte-identical', async () => {
    const source = path.join(work, 'big.bin');
    writeRandomFile(source, UPLOAD_BYTES);
    const before = docrootTree();
    const created = await api<PortalTransfer>('POST', '/api/transfers', {
      spaceId,
      direction: 'upload',
      folder: '/inbox',
      files: [{ path: 'big.bin', size: UPLOAD_BYTES }],
    });

    const upload = heldUpload(gatewayOf(created), created.transferSpec, { path: 'big.bin', size: UPLOAD_BYTES, from: source }, HOLD_AT);
    await upload.held;
    await until(
      'a partial with bytes in it',
      () => staging().map((f) => statSync(path.join(node.docroot, '.courier-staging', f)).size),
      (sizes) => sizes.length === 1 && (sizes[0] ?? 0) >= MOVING_BYTES,
    );
    await until(
      'the portal to see bytes moving',
      () => record(created.transfer.id),
      (r) => r.status === 'running' && r.bytesTransferred > 0,
    );

    await killAndRestart();
    const outcome = await upload.release();

    expect(outcome).toHaveProperty('error');
    expect(existsSync(path.join(spaceDir, 'inbox', 'big.bin'))).toBe(false);
    expect(staging()).toEqual([]);
    expect(docrootTree()).toEqual(before);
    expect(await recordReaches(created.transfer.id, 'failed')).toMatchObject({ error: NODE_STOPPED });

    const retry = await api<PortalTransfer>('POST', '/api/transfers', {
      spaceId,
      direction: 'upload',
      folder: '/inbox',
      files: [{ path: 'big.bin', size: UPLOAD_BYTES }],
    });
    const done = await uploadFile(gatewayOf(retry), retry.transferSpec, source, 'big.bin', UPLOAD_BYTES, path.join(work, 'retry.curl'));
    expect(done.status).toBe(200);
    expect(await sha256File(path.join(spaceDir, 'inbox', 'big.bin'))).toBe(await sha256File(source));
    expect(await recordReaches(retry.transfer.id, 'completed')).toMatchObject({ bytesTransferred: UPLOAD_BYTES });
    expect(staging()).toEqual([]);
    rmSync(source);
  });

  it('during a folder download: the client sees the stream fail, nothing is left behind, recorded as failed, and a retry is byte-identical', async () => {
    const folder = path.join(spaceDir, 'reports');
    mkdirSync(path.join(folder, 'q1'), { recursive: true });
    const names = ['reports/one.bin', 'reports/two.bin', 'reports/q1/three.bin'];
    const expected = new Map<string, string>();
    for (const name of names) {
      writeRandomFile(path.join(spaceDir, name), FOLDER_FILE_BYTES);
      expected.set(name, await sha256File(path.join(spaceDir, name)));
    }
    const before = docrootTree();
    const created = await api<PortalTransfer>('POST', '/api/transfers', { spaceId, direction: 'download', paths: ['/reports'] });

    const download = heldDownload(gatewayOf(created), created.transferSpec, path.join(work, 'cut.zip'), HOLD_AT);
    await download.held;
    await until(
      'the portal to see bytes moving',
      () => record(created.transfer.id),
      (r) => r.status === 'running' && r.bytesTransferred > 0,
    );

    await killAndRestart();
    const cut = await download.release();

    expect(cut.status).toBe(200);
    expect(cut.error).not.toBeNull();
    expect(cut.bytes).toBeLessThan(cut.contentLength ?? 0);
    expect(staging()).toEqual([]);
    expect(docrootTree()).toEqual(before);
    expect(await recordReaches(created.transfer.id, 'failed')).toMatchObject({ error: NODE_STOPPED });

    const retry = await api<PortalTransfer>('POST', '/api/transfers', { spaceId, direction: 'download', paths: ['/reports'] });
    const zip = path.join(work, 'retry.zip');
    const whole = await heldDownload(gatewayOf(retry), retry.transferSpec, zip).release();
    expect(whole).toMatchObject({ status: 200, error: null, bytes: whole.contentLength });
    expect(await readZipHashes(zip)).toEqual(expected);
    expect(await recordReaches(retry.transfer.id, 'completed')).toMatchObject({ bytesTransferred: whole.bytes });
  });

  it('during a chunked upload: the session resumes after the restart with the parts it held and lands byte-identical', async () => {
    const source = path.join(work, 'chunked.bin');
    writeRandomFile(source, CHUNKED_BYTES);
    const created = await api<PortalTransfer>('POST', '/api/transfers', {
      spaceId,
      direction: 'upload',
      folder: '/chunked',
      files: [{ path: 'chunked.bin', size: CHUNKED_BYTES }],
    });
    const dispatcher = new Agent({ connections: 4 });
    const client = { gatewayUrl: gatewayOf(created), dispatcher };
    const id = await openSession(client, created.transferSpec, 'chunked.bin', CHUNKED_BYTES);
    // Parts 0, 1 and 3 arrive whole; part 2 is in flight, half sent, when the node dies.
    expect(
      await sendParts(
        client,
        id,
        source,
        [
          [0, 2 * PART_BYTES],
          [3 * PART_BYTES, 4 * PART_BYTES],
        ],
        PART_BYTES,
        2,
      ),
    ).toEqual([204, 204, 204]);
    const cut = request(`${client.gatewayUrl}/v3/upload-sessions/${id}/files/0`, {
      method: 'PATCH',
      agent: false,
      headers: {
        'content-type': 'application/offset+octet-stream',
        'upload-offset': String(2 * PART_BYTES),
        'content-length': String(PART_BYTES),
      },
    });
    cut.on('error', () => undefined);
    cut.write(Buffer.alloc(PART_BYTES / 2));
    await until(
      'the portal to see the cut part moving',
      () => record(created.transfer.id),
      (r) => r.status === 'running' && r.bytesTransferred > 3 * PART_BYTES,
    );

    await killAndRestart();
    cut.destroy();
    expect(existsSync(path.join(spaceDir, 'chunked', 'chunked.bin'))).toBe(false);
    expect(await recordReaches(created.transfer.id, 'failed')).toMatchObject({ error: NODE_STOPPED });

    // The same session, continued, as the SPA's Retry does: it reports the transfer running again,
    // asks the node what it holds and sends only the rest.
    await api('PATCH', `/api/transfers/${created.transfer.id}`, { status: 'running', client: 'http-gateway' });
    const held = await heldRanges(client, id);
    expect(held).toEqual([
      [0, 2 * PART_BYTES],
      [3 * PART_BYTES, 4 * PART_BYTES],
    ]);
    expect(await sendParts(client, id, source, missing(held, CHUNKED_BYTES), PART_BYTES, 4)).toEqual([204, 204, 204, 204]);
    expect((await completeSession(client, id, CHUNKED_BYTES, await sha256File(source))).status).toBe(200);
    expect(await sha256File(path.join(spaceDir, 'chunked', 'chunked.bin'))).toBe(await sha256File(source));
    // The portal's record follows the session's latest attempt on the node to its end.
    expect(await recordReaches(created.transfer.id, 'completed')).toMatchObject({ bytesTransferred: CHUNKED_BYTES, error: null });
    expect(readdirSync(path.join(node.docroot, '.courier-staging'), { recursive: true })).toEqual(['sessions']);
    await dispatcher.close();
    rmSync(source);
  });
});
