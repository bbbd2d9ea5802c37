/** Raw sockets and requests for tests that must control every byte and the client's address. */
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface RawSocket {
  socket: Socket;
  /** Everything the node sent so far. */
  received(): string;
  /** Settles when the node (or the test) closed the socket. */
  closed: Promise<void>;
}

export function openSocket(url: string, localAddress?: string): Promise<RawSocket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), localAddress });
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}

/** Sends `chunks` one every `intervalMs` (bytes still flowing, slowly) and stops when the socket closes. */
export async function trickle(raw: RawSocket, chunks: (string | Buffer)[], intervalMs: number): Promise<void> {
  for (const chunk of chunks) {
    if (raw.socket.destroyed || raw.socket.writableEnded) return;
    raw.socket.write(chunk);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Rejects if `promise` has not settled within `ms`: a bound on a test, not a claim about speed. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms).unref()),
  ]);
}

export function requestFrom(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, localAddress: options.localAddress, agent: false },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
