/**
 * Hostile clients that need a node of their own (small limits, a fresh throttle): slow or silent
 * bodies, too many connections, password guessing (issue 10, items 7 and 11). Each case asserts
 * that the node ends or refuses the attack and leaves no partial; bounds on waiting are generous
 * test timeouts, never claims about speed.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NodeLimits } from '../limits';
import { startTestNode, type TestNode } from './node-harness';
import { openSocket, requestFrom, trickle, within, type RawSocket } from './raw-client';

interface Case {
  name: string;
  limits: Partial<NodeLimits>;
  run: (t: TestNode) => Promise<void>;
}

const BOUNDARY = 'slowBoundary';
const staging = (t: TestNode) => readdir(join(t.docroot, '.courier-staging'));
const basic = (t: TestNode, password = t.node.credentials.password) =>
  'Basic ' + Buffer.from(`${t.node.credentials.username}:${password}`).toString('base64');

function uploadHead(t: TestNode, bodyLength: number): string {
  const { port } = new URL(t.node.url);
  return (
    `POST /aspera/http-gwy/v3/upload HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${bodyLength}\r\n\r\n`
  );
}

function uploadBodyStart(spec: Record<string, unknown>, name: string, size: number): string {
  return (
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="x-aspera-spec"\r\n\r\n${JSON.stringify({ ...spec, paths: [{ source: name }] })}\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="Content-Length"\r\n\r\n${size}\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n\r\n`
  );
}
const uploadBodyEnd = `\r\n--${BOUNDARY}--\r\n`;

/** The node closed the socket in the end; whatever it answered before is returned. */
async function closedByNode(raw: RawSocket): Promise<string> {
  await within(raw.closed, 20_000, 'the node did not close the connection');
  return raw.received();
}

const cases: Case[] = [
  {
    name: 'silent connection that never sends its headers is answered 408 and closed',
    limits: { headersTimeoutMs: 400 },
    run: async (t) => {
      const raw = await openSocket(t.node.url);
      raw.socket.write('POST /files/browse HTTP/1.1\r\nHost: x\r\n');
      expect(await closedByNode(raw)).toMatch(/^HTTP\/1\.1 408/);
    },
  },
  {
    name: 'upload headers then no body at all: closed before any token is checked',
    limits: { uploadAuthorizeTimeoutMs: 400 },
    run: async (t) => {
      const raw = await openSocket(t.node.url);
      raw.socket.write(uploadHead(t, 10_000));
      expect(await closedByNode(raw)).toMatch(/^HTTP\/1\.1 408 [\s\S]*not received and authorized/);
      expect(await staging(t)).toEqual([]);
    },
  },
  {
    name: 'upload whose spec part trickles one byte per interval: closed at the authorization deadline',
    limits: { uploadAuthorizeTimeoutMs: 600, uploadIdleTimeoutMs: 5000 },
    run: async (t) => {
      const spec = await t.uploadSpec('/Inbox');
      const body = uploadBodyStart(spec, 'slow.txt', 1) + 'x' + uploadBodyEnd;
      const raw = await openSocket(t.node.url);
      raw.socket.write(uploadHead(t, Buffer.byteLength(body)));
      void trickle(raw, [...body], 100);
      expect(await closedByNode(raw)).toMatch(/^HTTP\/1\.1 408/);
      expect(await staging(t)).toEqual([]);
      expect(await readdir(t.docroot)).not.toContain('Inbox');
    },
  },
  {
    name: 'authorized upload that stops sending mid-file: closed after the idle timeout, partial removed',
    limits: { uploadIdleTimeoutMs: 500 },
    run: async (t) => {
      const spec = await t.uploadSpec('/Inbox');
      const start = uploadBodyStart(spec, 'stalled.bin', 100_000);
      const raw = await openSocket(t.node.url);
      raw.socket.write(uploadHead(t, Buffer.byteLength(start) + 100_000 + uploadBodyEnd.length));
      raw.socket.write(start + 'x'.repeat(1000));
      expect(await closedByNode(raw)).toMatch(/^HTTP\/1\.1 408 [\s\S]*No upload data received/);
      expect(await staging(t)).toEqual([]);
      expect(await readdir(t.docroot)).not.toContain('Inbox');
      const [transfer] = await t.apiJson('/ops/transfers');
      expect(transfer).toMatchObject({ status: 'failed', error_code: 408 });
    },
  },
  {
    name: 'Node API body that trickles one byte per interval: closed at the request deadline',
    limits: { requestBodyTimeoutMs: 600 },
    run: async (t) => {
      const body = JSON.stringify({ path: '/'.padEnd(200, ' ') });
      const raw = await openSocket(t.node.url);
      raw.socket.write(
        `POST /files/browse HTTP/1.1\r\nHost: x\r\nAuthorization: ${t.auth}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      void trickle(raw, [...body], 100);
      await closedByNode(raw);
      expect(raw.received()).toBe('');
    },
  },
  {
    name: 'connections over the per-address cap get 503 with Retry-After; another address still gets in',
    limits: { maxConnectionsPerIp: 3 },
    run: async (t) => {
      const held = await Promise.all([0, 1, 2].map(() => openSocket(t.node.url)));
      const refused = await requestFrom(t.node.url + '/ping', {});
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(JSON.parse(refused.body).message).toMatch(/from this address/);
      expect((await requestFrom(t.node.url + '/ping', { localAddress: '127.0.0.2' })).status).toBe(200);
      for (const raw of held) raw.socket.destroy();
    },
  },
  {
    name: 'connections over the total cap get 503 with Retry-After',
    limits: { maxConnections: 2 },
    run: async (t) => {
      const held = await Promise.all(['127.0.0.3', '127.0.0.4'].map((address) => openSocket(t.node.url, address)));
      const refused = await requestFrom(t.node.url + '/ping', { localAddress: '127.0.0.5' });
      expect(refused.status).toBe(503);
      expect(JSON.parse(refused.body).message).toMatch(/too many open connections/);
      for (const raw of held) raw.socket.destroy();
    },
  },
  {
    name: 'wrong Node API passwords, sent at once, past the limit get 429 with Retry-After; right ones from another address work',
    limits: { authMaxFailures: 5 },
    run: async (t) => {
      const guesses = await Promise.all(
        Array.from({ length: 30 }, (_, i) => requestFrom(t.node.url + '/info', { headers: { authorization: basic(t, `guess-${i}`) } })),
      );
      expect(guesses.filter((g) => g.status === 401)).toHaveLength(5);
      const throttled = guesses.filter((g) => g.status === 429);
      expect(throttled).toHaveLength(25);
      expect(Number(throttled[0]?.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(throttled[0]?.body ?? '{}').error).toMatchObject({ code: 429, reason: 'Too Many Requests' });
      // The right password from the guessing address is refused too, or it would confirm a guess.
      expect((await requestFrom(t.node.url + '/info', { headers: { authorization: basic(t) } })).status).toBe(429);
      expect((await requestFrom(t.node.url + '/info', { headers: { authorization: basic(t) }, localAddress: '127.0.0.2' })).status).toBe(
        200,
      );
    },
  },
];

describe('slow and abusive clients', () => {
  it.each(cases)(
    'ends or refuses: $name',
    async ({ limits, run }) => {
      const t = await startTestNode({ limits });
      try {
        await run(t);
      } finally {
        await t.close();
      }
    },
    30_000,
  );

  it('completes a slow but live upload that lasts longer than the idle timeout', async () => {
    const t = await startTestNode({ limits: { uploadIdleTimeoutMs: 1000 } });
    try {
      const spec = await t.uploadSpec('/Inbox');
      const chunks = Array.from({ length: 12 }, (_, i) => `chunk-${String(i).padStart(2, '0')};`);
      const data = chunks.join('');
      const start = uploadBodyStart(spec, 'slow.txt', data.length);
      const raw = await openSocket(t.node.url);
      raw.socket.write(uploadHead(t, Buffer.byteLength(start) + data.length + uploadBodyEnd.length) + start);
      // 12 × 250 ms = 3 s in all, three times the idle timeout, never idle for more than a quarter of it.
      await trickle(raw, chunks, 250);
      raw.socket.write(uploadBodyEnd);
      await within(
        (async () => {
          while (!raw.received().includes('transfer_id')) await new Promise((r) => setTimeout(r, 20));
        })(),
        10_000,
        'the upload answer',
      );
      expect(raw.received()).toMatch(/^HTTP\/1\.1 200/);
      expect(await readdir(join(t.docroot, 'Inbox'))).toEqual(['slow.txt']);
      raw.socket.destroy();
    } finally {
      await t.close();
    }
  }, 30_000);
});
