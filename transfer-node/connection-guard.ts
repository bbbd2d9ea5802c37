/**
 * Caps on open connections, in total and per client address. A connection over a cap gets a plain
 * 503 with `Retry-After` and is closed, so a client sees why instead of a silent reset.
 *
 * A connection from a trusted proxy (client-address.ts) is no client's: it counts in the total
 * only, and each request it carries counts, while it is open, for the client address the proxy
 * forwarded, against the same per-address cap as a direct connection from that address. So
 * clients behind nginx do not share one budget, and one of them cannot use up everyone's.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { TrustedProxies } from './client-address';

const RETRY_AFTER_SECONDS = 5;
const PER_ADDRESS_MESSAGE = 'Too many open connections from this address';

export interface ConnectionGuard {
  /**
   * Counts an open request that a trusted proxy forwarded for `clientIp`: the function that ends
   * it, or null when that address is at its cap (answer `refusal()`).
   */
  admitForwarded(clientIp: string): (() => void) | null;
}

export function guardConnections(server: Server, maxTotal: number, maxPerIp: number, proxies: TrustedProxies): ConnectionGuard {
  const perIp = new Map<string, number>();
  let total = 0;
  const release = (ip: string) => {
    const left = (perIp.get(ip) ?? 1) - 1;
    if (left > 0) perIp.set(ip, left);
    else perIp.delete(ip);
  };
  server.on('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? '';
    const proxied = proxies.trusts(ip);
    const mine = proxied ? 0 : (perIp.get(ip) ?? 0);
    if (total >= maxTotal || mine >= maxPerIp) {
      refuse(socket, total >= maxTotal ? 'The node has too many open connections' : PER_ADDRESS_MESSAGE);
      return;
    }
    total += 1;
    if (!proxied) perIp.set(ip, mine + 1);
    socket.once('close', () => {
      total -= 1;
      if (!proxied) release(ip);
    });
  });
  return {
    admitForwarded(clientIp) {
      const mine = perIp.get(clientIp) ?? 0;
      if (mine >= maxPerIp) return null;
      perIp.set(clientIp, mine + 1);
      let open = true;
      return () => {
        if (open) release(clientIp);
        open = false;
      };
    },
  };
}

/** The answer to a forwarded request over its address's cap: the same as a refused connection's. */
export function refusal(): { status: 503; headers: Record<string, string>; body: { message: string; code: 503 } } {
  return {
    status: 503,
    headers: { 'Retry-After': String(RETRY_AFTER_SECONDS), 'X-Content-Type-Options': 'nosniff' },
    body: { message: `${PER_ADDRESS_MESSAGE}; retry later`, code: 503 },
  };
}

function refuse(socket: Socket, message: string): void {
  const body = JSON.stringify({ message: `${message}; retry later`, code: 503 });
  socket.on('error', () => undefined);
  socket.end(
    'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: application/json\r\nX-Content-Type-Options: nosniff\r\n' +
      `Retry-After: ${RETRY_AFTER_SECONDS}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  // A client that never reads must not keep the refused socket open either.
  setTimeout(() => socket.destroy(), 1000).unref();
}
