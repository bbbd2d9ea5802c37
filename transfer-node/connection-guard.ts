/**
 * Caps on open connections, in total and per client IP. A connection over a cap gets a plain
 * 503 with `Retry-After` and is closed, so a client sees why instead of a silent reset.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const RETRY_AFTER_SECONDS = 5;

export function guardConnections(server: Server, maxTotal: number, maxPerIp: number): void {
  const perIp = new Map<string, number>();
  let total = 0;
  server.on('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? '';
    const mine = perIp.get(ip) ?? 0;
    if (total >= maxTotal || mine >= maxPerIp) {
      refuse(socket, total >= maxTotal ? 'The node has too many open connections' : 'Too many open connections from this address');
      return;
    }
    total += 1;
    perIp.set(ip, mine + 1);
    socket.once('close', () => {
      total -= 1;
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left > 0) perIp.set(ip, left);
      else perIp.delete(ip);
    });
  });
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
