import net from 'node:net';
import { test as base, type Page } from '@playwright/test';
import type { CreateTransferResponse } from '../../contract/transfers';

/**
 * A cable between the page and the transfer node that a test can pull: a TCP relay on 127.0.0.1
 * that the page's gateway traffic goes through. Chromium's offline emulation alone lets running
 * requests finish (and `page.route` only sees requests that have not started), so pulling it also
 * resets the connections carrying a request and refuses new ones, as a dead network does; without
 * the refusal Chromium would quietly resend the upload on a fresh connection. An idle kept-alive
 * connection survives, as TCP does a short outage, unless something is sent on it while the cable
 * is out: resetting those too left Chromium a dead socket in its pool that a later Retry could pick.
 * A signed download URL goes through it too, so the browser's download manager is cut like the page;
 * the node's answers can be paced so a cut lands mid-way, and each request is noted (its `Range`, its
 * status, the bytes back) so a test can tell a resumed download from one that started over.
 */
// A connection that moved bytes this recently carries a request (the tests' transfers never pause longer).
const BUSY_WITHIN_MS = 1_000;

export interface NetworkCable {
  /** The page goes offline (`navigator.onLine` false) and its gateway connections die. */
  pull: () => Promise<void>;
  plugIn: () => Promise<void>;
  /** Bytes the page sent that reached the node through the cable so far (bodies and headers). */
  bytesToNode: () => number;
  /** Paces what the node sends the page to this many bytes a second (`undefined`: as fast as it can). */
  throttleFromNode: (bytesPerSecond: number | undefined) => void;
  /** The requests the page sent through the cable, in order, with what came back on each. */
  requests: () => readonly RelayedRequest[];
  close: () => Promise<void>;
}

export interface RelayedRequest {
  method: string;
  path: string;
  /** The first byte a `Range: bytes=N-` header asked for, if the request had one. */
  rangeStart?: number;
  /** The status the node answered with, once its answer began. */
  status?: number;
  /** Bytes the node sent back for it so far (headers and body) that reached the page. */
  bytesFromNode: number;
}

// The head of a request the page starts on a connection (no pipelining: one at a time on each).
const REQUEST_LINE = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (\S+) HTTP\/1\.1\r\n/;

export async function throughNetworkCable(page: Page): Promise<NetworkCable> {
  let target: URL | undefined;
  let pulled = false;
  let toNode = 0;
  let fromNodeRate: number | undefined;
  const relayed: RelayedRequest[] = [];
  // Each relayed connection's two sockets, with when bytes last crossed it.
  const open = new Map<net.Socket, { upstream: net.Socket; lastData: number }>();
  const cut = (client: net.Socket) => {
    const link = open.get(client);
    client.resetAndDestroy();
    link?.upstream.resetAndDestroy();
  };
  const relay = net.createServer((client) => {
    if (pulled || !target) return client.resetAndDestroy();
    const upstream = net.connect(Number(target.port), target.hostname);
    const link = { upstream, lastData: Date.now() };
    const end = () => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    open.set(client, link);
    let current: RelayedRequest | undefined;
    client.on('data', (chunk: Buffer) => {
      if (pulled) return;
      toNode += chunk.length;
      const head = REQUEST_LINE.exec(chunk.toString('latin1', 0, Math.min(chunk.length, 8192)));
      if (!head) return;
      const range = /\r\nrange: *bytes=(\d+)-/i.exec(chunk.toString('latin1', 0, Math.min(chunk.length, 8192)));
      current = { method: head[1] as string, path: head[2] as string, bytesFromNode: 0 };
      if (range) current.rangeStart = Number(range[1]);
      relayed.push(current);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', end).on('close', end);
      socket.on('data', () => {
        if (pulled) cut(client);
        else link.lastData = Date.now();
      });
    }
    client.pipe(upstream);
    // The node's answers by hand rather than piped, so they can be paced (throttleFromNode).
    upstream.on('data', (chunk: Buffer) => {
      if (pulled) return;
      if (current) {
        if (current.bytesFromNode === 0) current.status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(chunk.toString('latin1', 0, 16))?.[1]);
        current.bytesFromNode += chunk.length;
      }
      const drained = client.write(chunk);
      const pace = fromNodeRate ? (chunk.length / fromNodeRate) * 1000 : 0;
      if (drained && !pace) return;
      upstream.pause();
      const resume = () => upstream.resume();
      const afterDrain = () => (drained ? resume() : client.once('drain', resume));
      if (pace) setTimeout(afterDrain, pace);
      else afterDrain();
    });
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const { port } = relay.address() as net.AddressInfo;

  // The portal names the gateway in each authorization; the page is told to reach it through the relay.
  await page.route('**/api/transfers', async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    const response = await route.fetch();
    const body = (await response.json()) as CreateTransferResponse;
    const clients = body.clients.map((c) => {
      if (c.type !== 'http-gateway' || !c.url) return c;
      const url = new URL(c.url);
      target = new URL(url.origin);
      url.host = `127.0.0.1:${port}`;
      return { ...c, url: url.href };
    });
    await route.fulfill({ response, json: { ...body, clients } });
  });
  // A large download's signed URL (docs/http-gateway.md §5) names the node's own address: through the relay too.
  await page.route('**/v3/presign', async (route) => {
    const response = await route.fetch();
    if (!response.ok()) return route.fulfill({ response });
    const body = (await response.json()) as { signed_url: string };
    const url = new URL(body.signed_url);
    if (target && url.origin === target.origin) url.host = `127.0.0.1:${port}`;
    await route.fulfill({ response, json: { ...body, signed_url: url.href } });
  });

  return {
    async pull() {
      // The page is offline before any socket dies, so what it sees fail, it sees fail offline.
      await page.context().setOffline(true);
      pulled = true;
      for (const [client, link] of open) if (Date.now() - link.lastData < BUSY_WITHIN_MS) cut(client);
    },
    async plugIn() {
      pulled = false;
      await page.context().setOffline(false);
    },
    bytesToNode: () => toNode,
    throttleFromNode(bytesPerSecond) {
      fromNodeRate = bytesPerSecond;
    },
    requests: () => relayed,
    close() {
      for (const [client, link] of open) {
        client.destroy();
        link.upstream.destroy();
      }
      return new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}

/** Playwright's `test` with a `cable` between the page and the node, closed after each test. */
export const test = base.extend<{ cable: NetworkCable }>({
  cable: async ({ page }, use) => {
    const cable = await throughNetworkCable(page);
    await use(cable);
    await cable.close();
  },
});
