import net from 'node:net';
import type { Page } from '@playwright/test';
import type { CreateTransferResponse } from '../../contract/transfers';

/**
 * A cable between the page and the transfer node that a test can pull: a TCP relay on 127.0.0.1
 * that the page's gateway traffic goes through. Chromium's offline emulation alone lets running
 * requests finish (and `page.route` only sees requests that have not started), so pulling it also
 * resets the relay's open connections and refuses new ones, as a dead network does; without the
 * refusal Chromium would quietly resend the upload on a fresh connection.
 */
export interface NetworkCable {
  /** The page goes offline (`navigator.onLine` false) and its gateway connections die. */
  pull: () => Promise<void>;
  plugIn: () => Promise<void>;
  close: () => Promise<void>;
}

export async function throughNetworkCable(page: Page): Promise<NetworkCable> {
  let target: URL | undefined;
  let pulled = false;
  const open = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    if (pulled || !target) return client.resetAndDestroy();
    const upstream = net.connect(Number(target.port), target.hostname);
    const end = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('error', end).on('close', end);
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
      pulled = true;
      await page.context().setOffline(true);
      for (const socket of open) socket.resetAndDestroy();
    },
    async plugIn() {
      pulled = false;
      await page.context().setOffline(false);
    },
    close() {
      for (const socket of open) socket.destroy();
      return new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}
