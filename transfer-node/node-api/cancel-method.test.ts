import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, waitFor, type TestNode } from '../test/node-harness';
import { openSocket } from '../test/raw-client';
import { exchange, openWs, specFrame } from '../test/ws-gateway-client';
import { parseCancel } from './cancel-method';

let t: TestNode;
beforeAll(async () => {
  t = await startTestNode();
});
afterAll(() => t.close());

/** Sends a raw CANCEL (no HTTP client lets one through) and reads the answer until the node closes. */
async function cancel(path: string, auth: string | null): Promise<{ status: number; text: string }> {
  const raw = await openSocket(t.node.url);
  const host = new URL(t.node.url).host;
  raw.socket.write(`CANCEL ${path} HTTP/1.1\r\nHost: ${host}\r\n${auth ? `Authorization: ${auth}\r\n` : ''}\r\n`);
  await raw.closed;
  const text = raw.received();
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text };
}

describe('parseCancel', () => {
  const req = (s: string) => parseCancel(Buffer.from(s, 'latin1'));
  it('reads the path and headers of a complete CANCEL on a transfer', () => {
    expect(req('CANCEL /ops/transfers/abc HTTP/1.1\r\nHost: x\r\nAuthorization: Basic Zm9v\r\n\r\n')).toEqual({
      url: '/ops/transfers/abc',
      headers: { host: 'x', authorization: 'Basic Zm9v' },
    });
  });
  it.each([
    ['another path', 'CANCEL /files/browse HTTP/1.1\r\n\r\n'],
    ['a query or traversal-free path only', 'CANCEL /ops/transfers/a b HTTP/1.1\r\n\r\n'],
    ['incomplete headers', 'CANCEL /ops/transfers/abc HTTP/1.1\r\nHost: x\r\n'],
    ['a body', 'CANCEL /ops/transfers/abc HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc'],
    ['a malformed header', 'CANCEL /ops/transfers/abc HTTP/1.1\r\nNo colon here\r\n\r\n'],
    ['another method', 'BREW /ops/transfers/abc HTTP/1.1\r\n\r\n'],
  ])('refuses %s', (_name, text) => {
    expect(req(text)).toBeNull();
  });
});

describe('CANCEL /ops/transfers/{id}', () => {
  it('cancels a running WebSocket upload: 204, the client told 499, the record canceled, nothing stored', async () => {
    const spec = await t.uploadSpec('/Cancel', { tags: { courier: { transfer_id: 'ws-cancel' } } });
    const ws = await openWs(t.node.gatewayUrl + '/v2/upload');
    const header = JSON.stringify({ slice_upload: { name: 'big.bin', size: 1_000_000, slice: 0, total_slices: 16, fileIndex: 0 } });
    const started = exchange(
      ws,
      [specFrame({ ...spec, paths: [{ source: 'big.bin' }] }), header, Buffer.alloc(64_000), Buffer.alloc(64_000)],
      {
        close: false,
      },
    );
    const running = await waitFor(async () => {
      const [record] = await t.apiJson('/ops/transfers?tag=courier.transfer_id=ws-cancel');
      return record?.bytes_transferred === 128_000 && record;
    });
    const answer = await cancel(`/ops/transfers/${running.id}`, t.auth);
    expect(answer.status).toBe(204);
    expect(answer.text).toMatch(/\r\nConnection: close\r\n/i);
    const outcome = await started;
    expect(outcome.acks).toEqual(['end upload', 'end_slice_upload', 'end upload', 'end upload']);
    // The session was waiting for more: the cancel's message arrives as the socket closes.
    expect(await t.apiJson(`/ops/transfers/${running.id}`)).toMatchObject({ status: 'canceled', error_code: 499 });
    expect(await readdir(t.docroot)).not.toContain('Cancel');
    await waitFor(async () => (await readdir(join(t.docroot, '.courier-staging'))).length === 0);
  });

  it('authenticates as any Node API request does, and answers 404 for an unknown transfer', async () => {
    expect((await cancel('/ops/transfers/7d7b1f5e-0000-4000-8000-000000000000', null)).status).toBe(401);
    expect((await cancel('/ops/transfers/7d7b1f5e-0000-4000-8000-000000000000', 'Basic eHg6eXk=')).status).toBe(401);
    expect((await cancel('/ops/transfers/7d7b1f5e-0000-4000-8000-000000000000', t.auth)).status).toBe(404);
  });

  it('leaves other unknown methods and paths to the usual 400', async () => {
    expect((await cancel('/files/browse', t.auth)).status).toBe(400);
  });
});
