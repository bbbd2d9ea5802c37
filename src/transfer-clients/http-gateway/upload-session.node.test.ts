/**
 * The gateway client's chunked uploads (docs/http-gateway.md §11) against the real embedded node
 * in a child process. The XHR is a thin stand-in over fetch (Node has no XHR), which can play a
 * network that drops every part after some, and counts the bytes each part put on the wire.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TransferClientEvent } from '../transfer-client';
import { createHttpGatewayClient } from './http-gateway-client';

const ORIGIN = 'http://127.0.0.1:8080';
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;
let node: ChildProcess;
let apiUrl: string;
let gatewayUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'courier-gw-sessions-'));
  node = spawn(
    process.execPath,
    [
      'bin/courier.mjs',
      'transfer-node',
      '--port',
      '0',
      '--state-dir',
      path.join(dir, 'state'),
      '--docroot',
      path.join(dir, 'docroot'),
      '--user',
      'u',
      '--password',
      '12345678',
      '--cors-origins',
      ORIGIN,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  [apiUrl, gatewayUrl] = await new Promise<[string, string]>((resolve, reject) => {
    let out = '';
    node.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Node API (\S+), HTTP Gateway (\S+)/.exec(out);
      if (m) resolve([m[1]!, m[2]!]);
    });
    node.once('exit', (code) => reject(new Error(`transfer node exited (${code}): ${out}`)));
  });
}, 60_000);

afterAll(async () => {
  node?.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
});

async function uploadSpec(destination: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${apiUrl}/files/upload_setup`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('u:12345678').toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ transfer_requests: [{ transfer_request: { paths: [{ destination }] } }] }),
  });
  const json = (await res.json()) as { transfer_specs: { transfer_spec: Record<string, unknown> }[] };
  return json.transfer_specs[0]!.transfer_spec;
}

/** What went over the wire: every request, and the part bytes the node was sent. */
interface Wire {
  requests: string[];
  partBytes: number;
  /** Parts after this many are refused by the "network" (the cable is pulled). */
  cutAfter: number;
  /** The last session URL used. */
  session?: string;
}

/** The XHR surface the client uses, over fetch; a cut part fails as a network error, never reaching the node. */
function xhrOver(wire: Wire) {
  return class {
    upload: Record<string, ((e?: unknown) => void) | null> = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    ontimeout: (() => void) | null = null;
    onabort: (() => void) | null = null;
    status = 0;
    responseText = '';
    responseType = '';
    private method = '';
    private url = '';
    private headers: Record<string, string> = { origin: ORIGIN };
    private controller = new AbortController();
    open(method: string, url: string) {
      this.method = method;
      this.url = url;
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    send(body: Blob | FormData) {
      if (this.method === 'PATCH') wire.session = this.url.replace(/\/files\/\d+$/, '');
      wire.requests.push(`${this.method} ${new URL(this.url).pathname.replace(/upload-sessions\/[^/]+/, 'upload-sessions/:id')}`);
      const isPart = this.method === 'PATCH';
      if (isPart && wire.cutAfter <= 0) {
        queueMicrotask(() => this.onerror?.());
        return;
      }
      if (isPart) wire.cutAfter -= 1;
      fetch(this.url, { method: this.method, body, headers: this.headers, signal: this.controller.signal })
        .then(async (res) => {
          if (isPart && body instanceof Blob) wire.partBytes += body.size;
          this.upload.onprogress?.({ lengthComputable: true, loaded: body instanceof Blob ? body.size : 1, total: 1 });
          this.status = res.status;
          this.responseText = await res.text();
          this.onload?.();
        })
        .catch(() => (this.controller.signal.aborted ? this.onabort?.() : this.onerror?.()));
    }
    abort() {
      this.controller.abort();
    }
  };
}

function client(wire: Wire, info?: object) {
  const doFetch: typeof fetch = async (input, init) => {
    const url = String(input);
    wire.requests.push(`${init?.method ?? 'GET'} ${new URL(url).pathname.replace(/upload-sessions\/[^/]+/, 'upload-sessions/:id')}`);
    if (info && url.endsWith('/info')) return Response.json(info);
    return fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), origin: ORIGIN } });
  };
  const Xhr = xhrOver(wire);
  const c = createHttpGatewayClient({
    fetch: doFetch,
    createXhr: () => new Xhr() as unknown as XMLHttpRequest,
    sessionTuning: { partSize: 256 * 1024, parallel: 3 },
  });
  const events: TransferClientEvent[] = [];
  c.subscribe((e) => events.push(e));
  const ended = (id: string, count = 1) =>
    vi.waitFor(
      () => {
        const ends = events.filter((e) => e.transferId === id && ['completed', 'failed', 'cancelled'].includes(e.status));
        if (ends.length < count) throw new Error('not ended yet');
        return ends[count - 1]!;
      },
      { timeout: 20_000, interval: 20 },
    );
  return { client: c, events, ended };
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
/** What sessions left in the node's staging area (its lasting `sessions` folder aside). */
const staged = async () => (await readdir(path.join(dir, 'docroot/.courier-staging'), { recursive: true })).filter((p) => p !== 'sessions');

describe('uploads through a session', () => {
  it('send a large file as parts over several connections, progress rising, and land it identical', async () => {
    const data = randomBytes(1024 * 1024 + 5);
    const wire: Wire = { requests: [], partBytes: 0, cutAfter: Infinity };
    const { client: c, events, ended } = client(wire);
    const spec = await uploadSpec('/Parts');
    await c.start({
      transferId: 'p1',
      direction: 'upload',
      transferSpec: spec,
      gatewayUrl,
      sources: [
        { file: new File([data], 'big.bin'), path: 'big.bin' },
        { file: new File(['tiny'], 'tiny.txt'), path: 'docs/tiny.txt' },
      ],
    });
    const end = await ended('p1');
    expect(end).toMatchObject({ status: 'completed', bytesDone: data.length + 4, bytesTotal: data.length + 4 });
    expect(sha256(await readFile(path.join(dir, 'docroot/Parts/big.bin')))).toBe(sha256(data));
    expect(await readFile(path.join(dir, 'docroot/Parts/docs/tiny.txt'), 'utf8')).toBe('tiny');
    // 5 parts of the big file (4 of 256 KiB and 5 bytes), one for the small one; no v3 body.
    expect(wire.requests.filter((r) => r.startsWith('PATCH'))).toHaveLength(6);
    expect(wire.requests).not.toContain('POST /aspera/http-gwy/v3/upload');
    expect(wire.requests.at(-1)).toBe('POST /aspera/http-gwy/v3/upload-sessions/:id/complete');
    const done = events.filter((e) => e.transferId === 'p1' && e.status === 'running').map((e) => e.bytesDone);
    expect(done.length).toBeGreaterThan(3);
    expect(done).toEqual([...done].sort((a, b) => a - b));
  });

  it('after the network drops, Retry sends only the parts the node does not hold', async () => {
    const data = randomBytes(2 * 1024 * 1024);
    const wire: Wire = { requests: [], partBytes: 0, cutAfter: 3 };
    const { client: c, ended } = client(wire);
    const spec = await uploadSpec('/Retry');
    await c.start({
      transferId: 'r1',
      direction: 'upload',
      transferSpec: spec,
      gatewayUrl,
      sources: [{ file: new File([data], 'r.bin'), path: 'r.bin' }],
    });
    const failed = await ended('r1');
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('NETWORK_ERROR');
    expect(failed.error?.message).toMatch(/Retry sends only what is missing/);
    expect(c.canContinue?.('r1')).toBe(true);
    // What the node holds: the parts that arrived, and whatever of the parts cut short reached its disk.
    const status = (await (await fetch(wire.session!)).json()) as { files: { received: [number, number][] }[] };
    const held = status.files[0]!.received.reduce((sum, [s, e]) => sum + e - s, 0);
    expect(held).toBeGreaterThanOrEqual(3 * 256 * 1024 - 2 * 256 * 1024);
    expect(held).toBeLessThan(data.length);
    expect(await readdir(path.join(dir, 'docroot'))).not.toContain('Retry');

    wire.cutAfter = Infinity;
    wire.partBytes = 0;
    await c.resume('r1');
    const done = await ended('r1', 2);
    expect(done.status).toBe('completed');
    expect(c.canContinue?.('r1')).toBe(false);
    expect(wire.partBytes).toBe(data.length - held);
    expect(sha256(await readFile(path.join(dir, 'docroot/Retry/r.bin')))).toBe(sha256(data));
    expect(await staged()).toEqual([]);
  });

  it('cancel stops every part and deletes the session, leaving nothing on the node', async () => {
    const data = randomBytes(2 * 1024 * 1024);
    const wire: Wire = { requests: [], partBytes: 0, cutAfter: Infinity };
    const { client: c, events, ended } = client(wire);
    const spec = await uploadSpec('/Cancel');
    await c.start({
      transferId: 'c1',
      direction: 'upload',
      transferSpec: spec,
      gatewayUrl,
      sources: [{ file: new File([data], 'c.bin'), path: 'c.bin' }],
    });
    await vi.waitFor(() => expect(events.some((e) => e.transferId === 'c1' && e.status === 'running' && e.bytesDone > 0)).toBe(true), {
      timeout: 10_000,
      interval: 5,
    });
    await c.stop('c1');
    expect((await ended('c1')).status).toBe('cancelled');
    expect(c.canContinue?.('c1')).toBe(false);
    await vi.waitFor(() => expect(wire.requests).toContain('DELETE /aspera/http-gwy/v3/upload-sessions/:id'));
    await vi.waitFor(async () => expect(await staged()).toEqual([]), { timeout: 10_000 });
    expect(await readdir(path.join(dir, 'docroot'))).not.toContain('Cancel');
  });

  it('keep the v3 upload for a gateway that does not offer sessions', async () => {
    const data = randomBytes(600 * 1024);
    const wire: Wire = { requests: [], partBytes: 0, cutAfter: Infinity };
    const { client: c, ended } = client(wire, { version: '3.0.0', name: 'IBM HTTP Gateway' });
    const spec = await uploadSpec('/Plain');
    await c.start({
      transferId: 'v1',
      direction: 'upload',
      transferSpec: spec,
      gatewayUrl,
      sources: [{ file: new File([data], 'v.bin'), path: 'v.bin' }],
    });
    expect((await ended('v1')).status).toBe('completed');
    expect(wire.requests).toEqual(['GET /aspera/http-gwy/info', 'POST /aspera/http-gwy/v3/upload']);
    expect(sha256(await readFile(path.join(dir, 'docroot/Plain/v.bin')))).toBe(sha256(data));
  });
});
