/**
 * Which protocol a node-to-node send speaks (docs/node-api.md §5.1): a large send to a gateway
 * that offers upload sessions goes as raw parts in parallel (docs/http-gateway.md §11), to one that
 * does not (an IBM gateway) as one v3 multipart upload (§3). A recording proxy in front of the
 * destination's gateway sees the requests as the destination receives them, and hides the sessions
 * from `/info` to stand for a gateway without them.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdingProxy } from '../../test-kit/holding-proxy';
import { sha256, startTestNode, waitFor, type TestNode } from '../test/node-harness';
import { PART_BYTES } from './session-client';

let source: TestNode;
let destination: TestNode;
// A part and a bit: the sessions path cuts it in two, and a small file and an empty one ride along.
const big = randomBytes(PART_BYTES + 12_345);
const small = randomBytes(70_000);

interface Recorder {
  url: string;
  seen: { method: string; path: string; offset?: string; length?: string }[];
  close(): Promise<void>;
}

/** Forwards to the destination's gateway, noting each request; `sessions: false` hides them from /info. */
async function recordingProxy(sessions: boolean): Promise<Recorder> {
  const target = new URL(destination.node.gatewayUrl);
  const seen: Recorder['seen'] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').slice(target.pathname.length);
    seen.push({ method: req.method ?? '', path, offset: req.headers['upload-offset'] as string, length: req.headers['content-length'] });
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (path === '/info' && !sessions) {
          void (async () => {
            const chunks: Buffer[] = [];
            for await (const chunk of answer) chunks.push(chunk as Buffer);
            const info = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            delete info.courier_upload_sessions;
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(info));
          })();
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    seen,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}

beforeAll(async () => {
  [source, destination] = await Promise.all([startTestNode(), startTestNode()]);
  await mkdir(join(source.docroot, 'Out', 'Folder'), { recursive: true });
  await writeFile(join(source.docroot, 'Out', 'big.bin'), big);
  await writeFile(join(source.docroot, 'Out', 'Folder', 'small.bin'), small);
  await writeFile(join(source.docroot, 'Out', 'Folder', 'empty.bin'), '');
  await mkdir(join(destination.docroot, 'In'), { recursive: true });
});
afterAll(async () => {
  await Promise.all([source?.close(), destination?.close()]);
});

async function sendVia(gatewayUrl: string, folder: string) {
  await mkdir(join(destination.docroot, folder), { recursive: true });
  const spec = await destination.uploadSpec(`/${folder}`);
  const tags = { aspera: { 'http-gateway': { url: gatewayUrl } } };
  const res = await source.api('/ops/transfers', { ...spec, tags, paths: [{ source: '/Out/big.bin' }, { source: '/Out/Folder' }] });
  expect(res.status).toBe(200);
  const { id } = await res.json();
  return waitFor(async () => {
    const record = await source.apiJson(`/ops/transfers/${id}`);
    return record.status === 'running' ? null : record;
  }, 60_000);
}

async function expectArrived(folder: string) {
  expect(sha256(await readFile(join(destination.docroot, folder, 'big.bin')))).toBe(sha256(big));
  expect(sha256(await readFile(join(destination.docroot, folder, 'Folder', 'small.bin')))).toBe(sha256(small));
  expect((await readFile(join(destination.docroot, folder, 'Folder', 'empty.bin'))).length).toBe(0);
}

describe('a node-to-node send picks its protocol from the remote gateway', () => {
  it('sends raw parts through an upload session when the gateway offers them', async () => {
    const proxy = await recordingProxy(true);
    try {
      const record = await sendVia(proxy.url, 'Sessions');
      expect(record).toMatchObject({ status: 'completed', error_code: 0, files_completed: 3 });
      expect(record.bytes_transferred).toBe(big.length + small.length);
      await expectArrived('Sessions');
      const calls = proxy.seen.map((s) => `${s.method} ${s.path.replace(/\/[A-Za-z0-9_-]{43}/, '/{id}')}`);
      expect(calls).not.toContain('POST /v3/upload');
      expect(calls.filter((c) => c === 'POST /v3/upload-sessions')).toHaveLength(1);
      expect(calls.at(-1)).toBe('POST /v3/upload-sessions/{id}/complete');
      // The big file came as two requests at their own offsets, the small one as one, the empty one as none.
      const bigParts = proxy.seen.filter((s) => s.method === 'PATCH' && s.path.endsWith('/files/0'));
      expect(bigParts.map((p) => [Number(p.offset), Number(p.length)]).sort((a, b) => a[0]! - b[0]!)).toEqual([
        [0, PART_BYTES],
        [PART_BYTES, 12_345],
      ]);
      const others = proxy.seen.filter((s) => s.method === 'PATCH' && !s.path.endsWith('/files/0'));
      expect(others.map((p) => [p.offset, p.length])).toEqual([['0', String(small.length)]]);
      expect(await readdir(join(destination.docroot, '.courier-staging', 'sessions')).catch(() => [])).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('sends one v3 multipart upload to a gateway without sessions', async () => {
    const proxy = await recordingProxy(false);
    try {
      const record = await sendVia(proxy.url, 'Multipart');
      expect(record).toMatchObject({ status: 'completed', error_code: 0, files_completed: 3 });
      await expectArrived('Multipart');
      expect(proxy.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /info', 'POST /v3/upload']);
    } finally {
      await proxy.close();
    }
  });

  it('cancels a session send mid-transfer: every part stops, the session is deleted, nothing lands', async () => {
    const proxy = await holdingProxy(destination.node.gatewayUrl, 1024 * 1024);
    try {
      const spec = await destination.uploadSpec('/In');
      const tags = { aspera: { 'http-gateway': { url: proxy.url(destination.node.gatewayUrl) } } };
      const res = await source.api('/ops/transfers', { ...spec, tags, paths: [{ source: '/Out/big.bin', destination: 'canceled.bin' }] });
      const { id } = await res.json();
      await proxy.held;
      const running = await source.apiJson(`/ops/transfers/${id}`);
      expect(running).toMatchObject({ status: 'running' });
      // The source keeps the session's id while it runs (for a retry after its own death).
      const [remembered] = await readdir(join(source.stateDir, 'outgoing-sessions'));
      const { id: sessionId } = JSON.parse(await readFile(join(source.stateDir, 'outgoing-sessions', remembered as string), 'utf8'));
      expect((await source.api(`/ops/transfers/${id}`, undefined, { method: 'DELETE' })).status).toBe(204);
      const record = await waitFor(async () => {
        const r = await source.apiJson(`/ops/transfers/${id}`);
        return r.status === 'running' ? null : r;
      });
      expect(record).toMatchObject({ status: 'canceled', error_code: 499 });
      // The source deletes the destination's session (its staged file removed; its record says the
      // parts were cut, or canceled, whichever it saw first) and forgets it.
      await waitFor(async () => (await readdir(join(source.stateDir, 'outgoing-sessions'))).length === 0);
      expect((await fetch(`${destination.node.gatewayUrl}/v3/upload-sessions/${sessionId}`)).status).toBe(404);
      await expect(readdir(join(destination.docroot, 'In'))).resolves.not.toContain('canceled.bin');
      expect(await readdir(join(destination.docroot, '.courier-staging', 'sessions')).catch(() => [])).toEqual([]);
    } finally {
      proxy.release();
      await proxy.close();
    }
  });
});
