import net from 'node:net';

export interface RawSocket {
  socket: net.Socket;
  /** Everything the server sent so far. */
  received: () => string;
  closed: () => boolean;
  /** Resolves when the server has closed the connection; rejects after `ms`. */
  closedWithin: (ms: number) => Promise<void>;
}

/** A client connection driven byte by byte, to play a slow or silent client against a real listener. */
export async function openRawSocket(port: number): Promise<RawSocket> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  let data = '';
  let isClosed = false;
  const closed = new Promise<void>((resolve) => socket.on('close', () => ((isClosed = true), resolve())));
  socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
  socket.on('error', () => undefined); // a reset is one way the server closes us
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  }).catch(() => undefined);
  return {
    socket,
    received: () => data,
    closed: () => isClosed,
    closedWithin: (ms) =>
      Promise.race([
        closed,
        new Promise<void>((_, reject) =>
          setTimeout(() => reject(new Error(`still open after ${ms} ms; got ${JSON.stringify(data.slice(0, 200))}`)), ms).unref(),
        ),
      ]),
  };
}
