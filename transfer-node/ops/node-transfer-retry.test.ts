/**
 * A node-to-node send over upload sessions rides out a blip of one part (docs/node-api.md §5.1): a
 * proxy in front of the destination's gateway cuts a part's connection or answers for the
 * destination, once, twice or always, and the send completes, fails at once, or fails keeping the
 * session for a re-post, as each case should. Parts are 2 MiB here (the source's `send` option), so
 * a file of a few MiB goes in five of them.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sha256, startTestNode, waitFor, type TestNode } from '../test/node-harness';

const MiB = 1024 * 1024;
const PART = 2 * MiB;
const data = randomBytes(4 * PART + 12_345);
// The part every fault below is aimed at: the second of the file.
const AIMED = String(PART);

let source: TestNode;
let destination: TestNode;

/** What the proxy does to a request: pass it, answer for the destination, or cut it after `after` body bytes. */
type Fault = { answer: number; headers?: Record<string, string> } | { cutAfter: number } | null;
interface Seen {
  method: string;
  path: string;
  offset?: string;
  length?: string;
  fault: Fault;
}

interface FaultyProxy {
  url: string;
  seen: Seen[];
  /** PATCH body bytes forwarded to the destination. */
  forwarded: number;
  /** Resolves at the first fault played. */
  faulted: Promise<void>;
  close(): Promise<void>;
}

async function faultyProxy(decide: (req: IncomingMessage, seen: Seen[]) => Fault): Promise<FaultyProxy> {
  const target = new URL(destination.node.gatewayUrl);
  let markFaulted = () => {};
  const proxy: FaultyProxy = {
    url: '',
    seen: [],
    forwarded: 0,
    faulted: new Promise((resolve) => (markFaulted = resolve)),
    close: async () => {},
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').slice(target.pathname.length).replace(/\/[A-Za-z0-9_-]{43}/, '/{id}');
    const offset = req.headers['upload-offset'] as string | undefined;
    const fault = decide(req, proxy.seen);
    proxy.seen.push({ method: req.method ?? '', path, offset, length: req.headers['content-length'], fault });
    if (fault) markFaulted();
    if (fault && 'answer' in fault) {
      const body = JSON.stringify({ message: `The proxy answered ${fault.answer}`, code: fault.answer });
      res.writeHead(fault.answer, { 'content-type': 'application/json', connection: 'close', ...fault.headers }).end(body);
      req.resume();
      return;
    }
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    let passed = 0;
    req.on('data', (chunk: Buffer) => {
      const room = fault ? fault.cutAfter - passed : chunk.length;
      const part = chunk.subarray(0, Math.max(0, room));
      passed += part.length;
      if (req.method === 'PATCH') proxy.forwarded += part.length;
      if (part.length === chunk.length) {
        if (!upstream.write(chunk)) req.pause();
        return;
      }
      // The cut: the bytes before it reach the destination (its socket closes after them), and the
      // source's connection is reset.
      req.pause();
      upstream.write(part, () => upstream.destroy());
      req.socket.destroy();
    });
    upstream.on('drain', () => req.resume());
    req.on('end', () => upstream.end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  proxy.url = `http://127.0.0.1:${(server.address() as { port: number }).port}${target.pathname}`;
  proxy.close = async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close').catch(() => undefined);
  };
  return proxy;
}

beforeAll(async () => {
  [source, destination] = await Promise.all([startTestNode({ send: { partBytes: PART, retryDelayMs: 20 } }), startTestNode()]);
  await mkdir(join(source.docroot, 'Out'), { recursive: true });
  await writeFile(join(source.docroot, 'Out', 'big.bin'), data);
});
afterAll(async () => {
  await Promise.all([source?.close(), destination?.close()]);
});

async function start(proxy: FaultyProxy, spec: Record<string, unknown>) {
  const tags = { aspera: { 'http-gateway': { url: proxy.url } } };
  const res = await source.api('/ops/transfers', { ...spec, tags, paths: [{ source: '/Out/big.bin' }] });
  expect(res.status).toBe(200);
  return (await res.json()).id as string;
}

async function ended(id: string) {
  return waitFor(async () => {
    const record = await source.apiJson(`/ops/transfers/${id}`);
    return record.status === 'running' ? null : record;
  }, 30_000);
}

async function newSpec(folder: string) {
  await mkdir(join(destination.docroot, folder), { recursive: true });
  return destination.uploadSpec(`/${folder}`);
}

const aimed = (proxy: FaultyProxy) => proxy.seen.filter((s) => s.method === 'PATCH' && s.offset === AIMED);
const isAimed = (req: IncomingMessage) => req.method === 'PATCH' && req.headers['upload-offset'] === AIMED;

async function rememberedSession(): Promise<string | null> {
  const [file] = await readdir(join(source.stateDir, 'outgoing-sessions')).catch(() => []);
  return file ? JSON.parse(await readFile(join(source.stateDir, 'outgoing-sessions', file), 'utf8')).id : null;
}

it('a part cut mid-way is sent again from where the destination stopped: the file lands whole, its bytes counted once', async () => {
  const proxy = await faultyProxy((req, seen) =>
    isAimed(req) && !seen.some((s) => s.fault) ? { cutAfter: Math.round(PART * 0.75) } : null,
  );
  try {
    const record = await ended(await start(proxy, await newSpec('Cut')));
    expect(record).toMatchObject({ status: 'completed', error_code: 0, files_completed: 1, bytes_transferred: data.length });
    expect(sha256(await readFile(join(destination.docroot, 'Cut', 'big.bin')))).toBe(sha256(data));
    // Before sending again the source asked what the session held, then sent the rest of that part only.
    const [cut, ...again] = aimed(proxy);
    expect(cut?.fault).toEqual({ cutAfter: Math.round(PART * 0.75) });
    expect(proxy.seen.some((s) => s.method === 'GET' && s.path === '/v3/upload-sessions/{id}')).toBe(true);
    const resent = proxy.seen.filter((s) => s.method === 'PATCH' && Number(s.offset) > PART && Number(s.offset) < 2 * PART);
    expect(resent).toHaveLength(1);
    expect(Number(resent[0]?.offset) + Number(resent[0]?.length)).toBe(2 * PART);
    expect(again).toEqual([]);
    expect(proxy.forwarded).toBeGreaterThanOrEqual(data.length);
    expect(proxy.forwarded).toBeLessThan(data.length + PART);
  } finally {
    await proxy.close();
  }
});

it('a part answered 503 twice passes the third time', async () => {
  const proxy = await faultyProxy((req, seen) => (isAimed(req) && aimed({ seen } as FaultyProxy).length < 2 ? { answer: 503 } : null));
  try {
    const record = await ended(await start(proxy, await newSpec('Busy')));
    expect(record).toMatchObject({ status: 'completed', error_code: 0, bytes_transferred: data.length });
    expect(sha256(await readFile(join(destination.docroot, 'Busy', 'big.bin')))).toBe(sha256(data));
    expect(aimed(proxy).map((s) => s.fault)).toEqual([{ answer: 503 }, { answer: 503 }, null]);
  } finally {
    await proxy.close();
  }
});

it('a part refused with 403 fails the send at once, with the refusal, and gives the session back', async () => {
  const proxy = await faultyProxy((req) => (isAimed(req) ? { answer: 403 } : null));
  try {
    const record = await ended(await start(proxy, await newSpec('Refused')));
    expect(record).toMatchObject({ status: 'failed', error_code: 403 });
    expect(record.error_desc).toBe('The remote HTTP Gateway refused the transfer (403): The proxy answered 403');
    expect(aimed(proxy)).toHaveLength(1);
    expect(proxy.seen.filter((s) => s.method === 'GET' && s.path === '/v3/upload-sessions/{id}')).toEqual([]);
    await waitFor(async () => (await rememberedSession()) === null);
    expect(await readdir(join(destination.docroot, 'Refused'))).toEqual([]);
  } finally {
    await proxy.close();
  }
});

it('a part that fails every time fails the send naming it, keeps the session, and a re-post sends only what is missing', async () => {
  const spec = await newSpec('Down');
  const proxy = await faultyProxy((req) => (isAimed(req) ? { answer: 502 } : null));
  let sessionId: string | null = null;
  try {
    const record = await ended(await start(proxy, spec));
    expect(record).toMatchObject({ status: 'failed', error_code: 502 });
    expect(record.error_desc).toBe(
      `Bytes ${PART}–${2 * PART - 1} of /Out/big.bin failed 4 times; the last time: The remote HTTP Gateway refused the transfer (502): The proxy answered 502`,
    );
    expect(aimed(proxy)).toHaveLength(4);
    sessionId = await rememberedSession();
    expect(sessionId).not.toBeNull();
  } finally {
    await proxy.close();
  }
  const status = await fetch(`${destination.node.gatewayUrl}/v3/upload-sessions/${sessionId}`);
  expect(status.status).toBe(200);
  const held = ((await status.json()).files[0].received as [number, number][]).reduce((sum, [a, b]) => sum + b - a, 0);
  expect(held).toBeGreaterThan(0);
  expect(held).toBeLessThanOrEqual(data.length - PART);

  const healthy = await faultyProxy(() => null);
  try {
    const record = await ended(await start(healthy, spec));
    expect(record).toMatchObject({ status: 'completed', bytes_transferred: data.length });
    expect(sha256(await readFile(join(destination.docroot, 'Down', 'big.bin')))).toBe(sha256(data));
    expect(healthy.seen.filter((s) => s.method === 'POST' && s.path === '/v3/upload-sessions')).toEqual([]);
    expect(healthy.forwarded).toBe(data.length - held);
    expect(await rememberedSession()).toBeNull();
  } finally {
    await healthy.close();
  }
});

it('a cancel during the wait before a retry stops the send at once and deletes the session', async () => {
  // Retry-After asks for 10 s: waitFor's 5 s would time out if the cancel did not cut the wait.
  const proxy = await faultyProxy((req) => (isAimed(req) ? { answer: 503, headers: { 'retry-after': '3600' } } : null));
  try {
    const id = await start(proxy, await newSpec('Canceled'));
    await proxy.faulted;
    const sessionId = await waitFor(rememberedSession);
    expect((await source.api(`/ops/transfers/${id}`, undefined, { method: 'DELETE' })).status).toBe(204);
    const record = await waitFor(async () => {
      const r = await source.apiJson(`/ops/transfers/${id}`);
      return r.status === 'running' ? null : r;
    });
    expect(record).toMatchObject({ status: 'canceled', error_code: 499 });
    expect(aimed(proxy)).toHaveLength(1);
    await waitFor(async () => (await rememberedSession()) === null);
    expect((await fetch(`${destination.node.gatewayUrl}/v3/upload-sessions/${sessionId}`)).status).toBe(404);
    expect(await readdir(join(destination.docroot, 'Canceled'))).toEqual([]);
  } finally {
    await proxy.close();
  }
});
