/**
 * A TCP proxy in front of a node that lets the first `holdAt` bytes of each request through and then
 * holds the rest until released, so a test catches a node-to-node transfer in the middle however
 * fast loopback is (no timing involved). Answers pass through untouched.
 */
import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface HoldingProxy {
  /** The proxy's base URL standing for `target`'s origin. */
  url(target: string): string;
  /** Resolves once a connection has sent `holdAt` bytes. */
  held: Promise<void>;
  release(): void;
  close(): Promise<void>;
}

export async function holdingProxy(targetUrl: string, holdAt: number): Promise<HoldingProxy> {
  const target = new URL(targetUrl);
  let markHeld = () => {};
  const held = new Promise<void>((resolve) => (markHeld = resolve));
  let released = false;
  const waiting: Array<() => void> = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    let seen = 0;
    // Held bytes are kept here rather than left unread, so the proxy still sees the client go away.
    const heldChunks: Buffer[] = [];
    client.on('data', (chunk: Buffer) => {
      if (released || seen + chunk.length <= holdAt) {
        seen += chunk.length;
        upstream.write(chunk);
        return;
      }
      const pass = Math.max(0, holdAt - seen);
      seen += chunk.length;
      if (pass > 0) upstream.write(chunk.subarray(0, pass));
      if (heldChunks.length === 0) waiting.push(() => upstream.write(Buffer.concat(heldChunks.splice(0))));
      heldChunks.push(chunk.subarray(pass));
      markHeld();
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on('error', () => b.destroy());
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    url: (url) => {
      const proxied = new URL(url);
      proxied.host = `127.0.0.1:${port}`;
      return proxied.href.replace(/\/+$/, '');
    },
    held,
    release() {
      released = true;
      for (const go of waiting.splice(0)) go();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}
