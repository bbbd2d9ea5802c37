import net from 'node:net';
import type { Page } from '@playwright/test';
import type { CreateTransferResponse } from '../../contract/transfers';

/**
 * A cable between the page and the transfer node that a test can pull: a TCP relay on 127.0.0.1
 * that the page's gateway traffic goes through. Chromium's offline emulation alone lets running
 * requests finish (and `page.route` only sees requests that have not started), so pulling it also
 * resets the connections carrying a request and refuses new ones, as a dead network does; without
 * the refusal Chromium would quietly resend the upload on a fresh connection. An idle kept-alive
 * connection survives, as TCP does a short outage, unless something is sent on it while the cable
 * is out: resetting those too left Chromium a dead socket in its pool that a later Retry could pick.
 */
// A connection that moved bytes this recently carries a request (the tests' transfers never pause longer).
const BUSY_WITHIN_MS = 1_000;

export interface NetworkCable {
  /** The page goes offline (`navigator.onLine` false) and its gateway connections die. */
  pull: () => Promise<void>;
  plugIn: () => Promise<void>;
  /** Bytes the page sent that reached the node through the cable so far (bodies and headers). */
  bytesToNode: () => number;
  close: () => Promise<void>;
}

export async function throughNetworkCable(page: Page): Promise<NetworkCable> {
  let target: URL | undefined;
  let pulled = false;
  let toNode = 0;
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
    client.on('data', (chunk: Buffer) => {
      if (!pulled) toNode += chunk.length;
    });
    for (const socket of [client, upstream]) {
      socket.on('error', end).on('close', end);
      socket.on('data', () => {
        if (pulled) cut(client);
        else link.lastData = Date.now();
      });
    }
    client.pipe(upstream).pipe(client);
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
    close() {
      for (const [client, link] of open) {
        client.destroy();
        link.upstream.destroy();
      }
      return new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}
