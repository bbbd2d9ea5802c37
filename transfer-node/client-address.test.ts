/**
 * COURIER_NODE_TRUST_PROXY: behind nginx, the node's transfer records, request log and per-address
 * connection cap see the client's address from X-Forwarded-For, but only from a peer named there,
 * and only the rightmost address that peer did not itself trust (docs/deployment.md §9). Real
 * sockets from two loopback addresses: 127.0.0.1 plays nginx, 127.0.0.2 a client that reaches the
 * node past it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustedProxies } from './client-address';
import { WebSocket } from 'ws';
import { specHeader } from '../test-kit/gateway-download';
import { PORTAL_ORIGIN, startTestNode, waitFor, type TestNode } from './test/node-harness';
import { openSocket, requestFrom, type RawSocket } from './test/raw-client';
import { exchange, specFrame, v2Frames } from './test/ws-gateway-client';

const NGINX = '127.0.0.1';
const PAST_NGINX = '127.0.0.2';

async function startNode(trustProxy: string[] | undefined, maxConnectionsPerIp: number) {
  let log = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      log += chunk.toString();
      done();
    },
  });
  const t = await startTestNode({ trustProxy, limits: { maxConnectionsPerIp }, logger: { level: 'info', stream } });
  await mkdir(join(t.docroot, 'Outbox'));
  await writeFile(join(t.docroot, 'Outbox/a.txt'), 'alpha');
  // The address each logged request was attributed to, by its URL.
  const loggedIp = (urlPart: string) =>
    log
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { req?: { url: string; ip: string } })
      .find((entry) => entry.req?.url.includes(urlPart))?.req?.ip;
  return { t, loggedIp };
}

/** A v3 download with `forwardedFor` from `from`: the client address its record and log line carry. */
async function downloadAs(node: Awaited<ReturnType<typeof startNode>>, id: string, from: string, forwardedFor: string) {
  const spec = await node.t.downloadSpec(['/Outbox/a.txt'], { tags: { courier: { transfer_id: id } } });
  const res = await requestFrom(`${node.t.node.gatewayUrl}/v3/download?probe=${id}`, {
    headers: { 'x-aspera-spec': specHeader(spec), 'x-forwarded-for': forwardedFor },
    localAddress: from,
  });
  expect([res.status, res.body]).toEqual([200, 'alpha']);
  return { record: await recordedIp(node.t, id), log: node.loggedIp(`probe=${id}`) };
}

async function recordedIp(t: TestNode, id: string): Promise<string> {
  const [transfer] = await t.apiJson<Array<{ sessions: Array<{ client_ip_address: string }> }>>(
    `/ops/transfers?tag=courier.transfer_id=${id}`,
  );
  return transfer!.sessions[0]!.client_ip_address;
}

/** A request from `from` the node holds open: its headers, without the body they announce. */
async function holdRequest(t: TestNode, from: string, forwardedFor: string): Promise<RawSocket> {
  const raw = await openSocket(t.node.url, from);
  raw.socket.write(
    `POST /files/browse HTTP/1.1\r\nHost: node\r\nAuthorization: ${t.auth}\r\nContent-Type: application/json\r\n` +
      `X-Forwarded-For: ${forwardedFor}\r\nContent-Length: 100\r\n\r\n`,
  );
  return raw;
}

const ping = (t: TestNode, from: string, forwardedFor?: string) =>
  requestFrom(`${t.node.url}/ping`, { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}, localAddress: from });

describe('behind a proxy the node trusts (COURIER_NODE_TRUST_PROXY=127.0.0.1)', () => {
  let node: Awaited<ReturnType<typeof startNode>>;
  beforeAll(async () => {
    node = await startNode([NGINX], 2);
  });
  afterAll(() => node.t.close());

  it('records and logs the forwarded client, the rightmost address nginx did not trust, never a forged leftmost one', async () => {
    expect(await downloadAs(node, 'one-hop', NGINX, '203.0.113.7')).toEqual({ record: '203.0.113.7', log: '203.0.113.7' });
    expect(await downloadAs(node, 'forged', NGINX, '6.6.6.6, 203.0.113.7')).toEqual({ record: '203.0.113.7', log: '203.0.113.7' });
    // Another trusted proxy in the chain (127.0.0.1 again, as a second nginx on the host) is walked past.
    expect(await downloadAs(node, 'two-hops', NGINX, '6.6.6.6, 203.0.113.8, 127.0.0.1')).toEqual({
      record: '203.0.113.8',
      log: '203.0.113.8',
    });
    // A client reaching the node past nginx writes what it likes: the node takes its socket's address.
    expect(await downloadAs(node, 'spoofed', PAST_NGINX, '203.0.113.7')).toEqual({ record: PAST_NGINX, log: PAST_NGINX });
  });

  it('records the forwarded client of a WebSocket upload (which Fastify does not route) the same way', async () => {
    const upload = async (id: string, from: string, forwardedFor: string) => {
      const spec = await node.t.uploadSpec(`/Inbox/${id}`, { tags: { courier: { transfer_id: id } } });
      const files = [{ name: 'w.bin', data: Buffer.from('ws') }];
      const ws = new WebSocket(`${node.t.node.gatewayUrl.replace(/^http/, 'ws')}/v2/upload`, {
        headers: { 'x-forwarded-for': forwardedFor },
        localAddress: from,
      });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      const outcome = await exchange(ws, [specFrame({ ...spec, paths: [{ source: 'w.bin' }] }), ...v2Frames(files)]);
      expect(outcome.error).toBeNull();
      return recordedIp(node.t, id);
    };
    expect(await upload('ws-forged', NGINX, '6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
    expect(await upload('ws-spoofed', PAST_NGINX, '203.0.113.9')).toBe(PAST_NGINX);
  });

  it('caps open requests per forwarded client, not for everyone behind nginx together', async () => {
    const held = [await holdRequest(node.t, NGINX, '203.0.113.7'), await holdRequest(node.t, NGINX, '6.6.6.6, 203.0.113.7')];
    await waitFor(async () => (await ping(node.t, NGINX, '203.0.113.7')).status === 503);
    const refused = await ping(node.t, NGINX, '203.0.113.7');
    expect([refused.status, refused.headers['retry-after'], JSON.parse(refused.body).message]).toEqual([
      503,
      '5',
      'Too many open connections from this address; retry later',
    ]);
    // A page of the portal can read the gateway's refusal (CORS), and the WebSocket upload is refused at the handshake too.
    const fromPage = await requestFrom(`${node.t.node.gatewayUrl}/info`, {
      headers: { 'x-forwarded-for': '203.0.113.7', origin: PORTAL_ORIGIN },
      localAddress: NGINX,
    });
    expect([fromPage.status, fromPage.headers['access-control-allow-origin']]).toEqual([503, PORTAL_ORIGIN]);
    const ws = new WebSocket(`${node.t.node.gatewayUrl.replace(/^http/, 'ws')}/v2/upload`, {
      headers: { 'x-forwarded-for': '203.0.113.7' },
      localAddress: NGINX,
    });
    await expect(new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))).rejects.toThrow(/503/);
    // Other clients behind the same nginx, and nginx's own connections (three open now), are not held back.
    expect((await ping(node.t, NGINX, '203.0.113.8')).status).toBe(200);
    expect((await ping(node.t, NGINX)).status).toBe(200);
    for (const raw of held) raw.socket.destroy();
    // The client's requests are counted while open only.
    await waitFor(async () => (await ping(node.t, NGINX, '203.0.113.7')).status === 200);
  });
});

describe('without COURIER_NODE_TRUST_PROXY', () => {
  let node: Awaited<ReturnType<typeof startNode>>;
  beforeAll(async () => {
    node = await startNode(undefined, 2);
  });
  afterAll(() => node.t.close());

  it('ignores X-Forwarded-For: records, logs and caps the socket address, whatever a client writes there', async () => {
    expect(await downloadAs(node, 'ignored', NGINX, '203.0.113.7')).toEqual({ record: NGINX, log: NGINX });
    const held = [await holdRequest(node.t, PAST_NGINX, '203.0.113.1'), await holdRequest(node.t, PAST_NGINX, '203.0.113.2')];
    expect((await ping(node.t, PAST_NGINX, '203.0.113.3')).status).toBe(503);
    for (const raw of held) raw.socket.destroy();
  });
});

describe("the WebSocket handshake's walk of X-Forwarded-For", () => {
  it("names the same client as Fastify's request.ip, whatever the header holds", async () => {
    const proxies = trustedProxies(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
    const app = Fastify({ trustProxy: (address: string) => proxies.trusts(address) });
    app.get('/', async (request) => ({ fastify: request.ip, walk: proxies.clientAddress(request.raw) }));
    const cases: Array<[string, string | undefined, string]> = [
      ['127.0.0.1', undefined, '127.0.0.1'],
      ['127.0.0.1', '203.0.113.7', '203.0.113.7'],
      ['127.0.0.1', '6.6.6.6, 203.0.113.7', '203.0.113.7'],
      ['127.0.0.1', '6.6.6.6, 203.0.113.7, 10.1.2.3', '203.0.113.7'],
      ['127.0.0.1', '10.0.0.1, 10.0.0.2', '10.0.0.1'],
      ['127.0.0.1', ' 203.0.113.7 ,, 10.0.0.2 ', '203.0.113.7'],
      ['127.0.0.1', 'not-an-address, 2001:db8::1', '2001:db8::1'],
      ['127.0.0.1', '2001:db8::1, fd12::1', '2001:db8::1'],
      ['::ffff:127.0.0.1', '203.0.113.7', '203.0.113.7'],
      ['::ffff:10.9.9.9', '6.6.6.6, ::ffff:10.1.1.1', '6.6.6.6'],
      ['192.0.2.1', '203.0.113.7', '192.0.2.1'],
    ];
    const answers = [];
    for (const [remoteAddress, forwardedFor] of cases) {
      const res = await app.inject({
        url: '/',
        remoteAddress,
        headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
      });
      answers.push(res.json<{ fastify: string; walk: string }>());
    }
    expect(answers).toEqual(cases.map(([, , client]) => ({ fastify: client, walk: client })));
    await app.close();
  });
});
