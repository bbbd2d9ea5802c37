/**
 * A node-to-node send over upload sessions rides out a blip of one part (docs/node-api.md §5.1): a
 * proxy in front of the destination's gateway cuts a part's connection or answers for the
 * destination, once, twice or always, and the send completes, fails at once, or fails keeping the
 * session for a re-post, as each case should. Parts are 2 MiB here (the source's `send` option), so
 * a file of a few MiB goes in five of them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { faultyProxy as proxyTo, type Fault, type FaultyProxy, type Seen } from '../../test-kit/faulty-proxy';
import { sha256, startTestNode, waitFor, type TestNode } from '../test/node-harness';

const MiB = 1024 * 1024;
const PART = 2 * MiB;
const data = randomBytes(4 * PART + 12_345);
// The part every fault below is aimed at: the second of the file.
const AIMED = String(PART);

let source: TestNode;
let destination: TestNode;

/** A faulty proxy in front of the destination's gateway. */
const faultyProxy = (decide: (req: IncomingMessage, seen: Seen[]) => Fault) => proxyTo(destination.node.gatewayUrl, decide);

beforeAll(async () => {
  [source, destination] = await Promise.all([startTestNode({ send: { partBytes: PART, retryDelayMs: 20 } }), startTestNode()]);
  await mkdir(join(source.docroot, 'Out'), { recursive: true });
  await writeFile(join(source.docroot, 'Out', 'big.bin'), data);
});
afterAll(async () => {
  await Promise.all([source?.close(), destination?.close()]);
});

async function start(proxy: FaultyProxy, spec: Record<string, unknown>, from = source) {
  const tags = { aspera: { 'http-gateway': { url: proxy.url } } };
  const res = await from.api('/ops/transfers', { ...spec, tags, paths: [{ source: '/Out/big.bin' }] });
  expect(res.status).toBe(200);
  return (await res.json()).id as string;
}

async function ended(id: string, from = source) {
  return waitFor(async () => {
    const record = await from.apiJson(`/ops/transfers/${id}`);
    return record.status === 'running' ? null : record;
  }, 30_000);
}

async function newSpec(folder: string) {
  await mkdir(join(destination.docroot, folder), { recursive: true });
  return destination.uploadSpec(`/${folder}`);
}

const aimed = (proxy: FaultyProxy) => proxy.seen.filter((s) => s.method === 'PATCH' && s.offset === AIMED);
const isAimed = (req: IncomingMessage) => req.method === 'PATCH' && req.headers['upload-offset'] === AIMED;

/** The session the source keeps for this spec's token (outgoing-sessions.ts), if any. */
async function rememberedSession(spec: Record<string, unknown>): Promise<string | null> {
  const file = join(source.stateDir, 'outgoing-sessions', `${createHash('sha256').update(String(spec.token)).digest('hex')}.json`);
  return readFile(file, 'utf8').then(
    (text) => JSON.parse(text).id as string,
    () => null,
  );
}

it('a part cut mid-way is sent again from where the destination stopped: the file lands whole, its bytes counted once', async () => {
  // The destination sees the cut only once the source has tried again three times, each refused
  // (409: those bytes are still being received), which must not spend the part's attempts; the
  // fourth try is answered 503 and lets the cut through, and the status call after it waits until
  // the destination holds what arrived of the part.
  const inPart = (offset: unknown) => Number(offset) >= PART && Number(offset) < 2 * PART;
  const partRequests = (seen: Seen[]) => seen.filter((s) => s.method === 'PATCH' && inPart(s.offset));
  let noticeCut = () => {};
  const lingers = new Promise<void>((resolve) => (noticeCut = resolve));
  let cutSeen = false;
  const proxy = await faultyProxy((req, seen) => {
    if (req.method === 'GET' && cutSeen) {
      const status = `${destination.node.gatewayUrl}${(req.url ?? '').slice(new URL(destination.node.gatewayUrl).pathname.length)}`;
      return {
        until: waitFor(async () =>
          (await (await fetch(status)).json()).files[0].received.some(([from, to]: [number, number]) => from <= PART && to > PART),
        ),
      };
    }
    if (req.method !== 'PATCH' || !inPart(req.headers['upload-offset'])) return null;
    const before = partRequests(seen).length;
    if (before === 0) return { cutAfter: Math.round(PART * 0.75), lingers };
    if (before < 4) return null;
    if (before > 4) return null;
    noticeCut();
    cutSeen = true;
    return { answer: 503 };
  });
  try {
    const record = await ended(await start(proxy, await newSpec('Cut')));
    expect(record).toMatchObject({ status: 'completed', error_code: 0, files_completed: 1, bytes_transferred: data.length });
    expect(sha256(await readFile(join(destination.docroot, 'Cut', 'big.bin')))).toBe(sha256(data));
    // Each time the source asked what the session held; at last it sent the rest of the part only.
    const tries = partRequests(proxy.seen);
    expect(tries.map((s) => s.status ?? s.fault)).toEqual([
      { cutAfter: Math.round(PART * 0.75), lingers },
      409,
      409,
      409,
      { answer: 503 },
      204,
    ]);
    expect(tries.slice(1, 4).map((s) => s.offset)).toEqual([AIMED, AIMED, AIMED]);
    const last = tries.at(-1);
    expect(Number(last?.offset)).toBeGreaterThan(PART);
    expect(Number(last?.offset) + Number(last?.length)).toBe(2 * PART);
    expect(proxy.seen.filter((s) => s.method === 'GET' && s.path === '/v3/upload-sessions/{id}')).toHaveLength(5);
    // What the destination took (a refused part writes nothing) is the file and less than a part more.
    const taken = proxy.seen.filter((s) => s.method === 'PATCH' && s.status !== 409).reduce((sum, s) => sum + s.forwarded, 0);
    expect(taken).toBeGreaterThanOrEqual(data.length);
    expect(taken).toBeLessThan(data.length + PART);
  } finally {
    noticeCut();
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
    const spec = await newSpec('Refused');
    const record = await ended(await start(proxy, spec));
    expect(record).toMatchObject({ status: 'failed', error_code: 403 });
    expect(record.error_desc).toBe('The remote HTTP Gateway refused the transfer (403): The proxy answered 403');
    expect(aimed(proxy)).toHaveLength(1);
    expect(proxy.seen.filter((s) => s.method === 'GET' && s.path === '/v3/upload-sessions/{id}')).toEqual([]);
    expect(await rememberedSession(spec)).toBeNull();
    expect(await readdir(join(destination.docroot, 'Refused'))).toEqual([]);
  } finally {
    await proxy.close();
  }
});

it('a part that fails every time fails the send naming it, keeps the session, and a re-post sends only what is missing', async () => {
  const spec = await newSpec('Down');
  // The last try is answered once every other part landed, so the session holds all but this part.
  const othersLanded = (seen: Seen[]) => seen.filter((s) => s.method === 'PATCH' && s.offset !== AIMED && s.status === 204).length === 4;
  const proxy = await faultyProxy((req, seen) => {
    if (!isAimed(req)) return null;
    return aimed({ seen } as FaultyProxy).length < 3 ? { answer: 502 } : { answer: 502, until: waitFor(async () => othersLanded(seen)) };
  });
  let sessionId: string | null = null;
  try {
    const record = await ended(await start(proxy, spec));
    expect(record).toMatchObject({ status: 'failed', error_code: 502 });
    expect(record.error_desc).toBe(
      `Bytes ${PART}–${2 * PART - 1} of /Out/big.bin failed 4 times; the last time: The remote HTTP Gateway refused the transfer (502): The proxy answered 502`,
    );
    expect(aimed(proxy)).toHaveLength(4);
    sessionId = await rememberedSession(spec);
    expect(sessionId).not.toBeNull();
  } finally {
    await proxy.close();
  }
  const status = await fetch(`${destination.node.gatewayUrl}/v3/upload-sessions/${sessionId}`);
  expect(status.status).toBe(200);
  expect((await status.json()).files[0].received).toEqual([
    [0, PART],
    [2 * PART, data.length],
  ]);

  const healthy = await faultyProxy(() => null);
  try {
    const record = await ended(await start(healthy, spec));
    expect(record).toMatchObject({ status: 'completed', bytes_transferred: data.length });
    expect(sha256(await readFile(join(destination.docroot, 'Down', 'big.bin')))).toBe(sha256(data));
    expect(healthy.seen.filter((s) => s.method === 'POST' && s.path === '/v3/upload-sessions')).toEqual([]);
    expect(healthy.seen.filter((s) => s.method === 'PATCH').map((s) => [s.offset, s.forwarded, s.status])).toEqual([[AIMED, PART, 204]]);
    expect(await rememberedSession(spec)).toBeNull();
  } finally {
    await healthy.close();
  }
});

it('a cancel during the wait before a retry stops the send at once and deletes the session', async () => {
  // Retry-After asks for an hour, cut to 10 s: waitFor's 5 s would time out if the cancel did not cut the wait.
  const proxy = await faultyProxy((req) => (isAimed(req) ? { answer: 503, headers: { 'retry-after': '3600' } } : null));
  try {
    const spec = await newSpec('Canceled');
    const id = await start(proxy, spec);
    await proxy.faulted;
    const sessionId = await waitFor(() => rememberedSession(spec));
    expect((await source.api(`/ops/transfers/${id}`, undefined, { method: 'DELETE' })).status).toBe(204);
    const record = await waitFor(async () => {
      const r = await source.apiJson(`/ops/transfers/${id}`);
      return r.status === 'running' ? null : r;
    });
    expect(record).toMatchObject({ status: 'canceled', error_code: 499 });
    expect(aimed(proxy)).toHaveLength(1);
    await waitFor(async () => (await rememberedSession(spec)) === null);
    expect((await fetch(`${destination.node.gatewayUrl}/v3/upload-sessions/${sessionId}`)).status).toBe(404);
    expect(await readdir(join(destination.docroot, 'Canceled'))).toEqual([]);
  } finally {
    await proxy.close();
  }
});

it('a part whose connection goes silent is cut after the idle limit and sent again', async () => {
  // A source whose parts give up after 0.3 s of silence, and a proxy that takes the part's bytes and
  // never passes them on: a connection a middlebox dropped without a reset.
  const quick = await startTestNode({ send: { partBytes: PART, retryDelayMs: 20, partIdleMs: 300 } });
  const proxy = await faultyProxy((req, seen) =>
    isAimed(req) && aimed({ seen } as FaultyProxy).length === 0 ? { until: new Promise(() => {}) } : null,
  );
  try {
    await mkdir(join(quick.docroot, 'Out'), { recursive: true });
    await writeFile(join(quick.docroot, 'Out', 'big.bin'), data);
    const record = await ended(await start(proxy, await newSpec('Silent'), quick), quick);
    expect(record).toMatchObject({ status: 'completed', error_code: 0, bytes_transferred: data.length });
    expect(sha256(await readFile(join(destination.docroot, 'Silent', 'big.bin')))).toBe(sha256(data));
    expect(aimed(proxy).map((s) => s.status ?? s.fault)).toEqual([{ until: expect.any(Promise) }, 204]);
  } finally {
    await proxy.close();
    await quick.close();
  }
});
