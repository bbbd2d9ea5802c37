/**
 * `CANCEL /ops/transfers/{id}`, the method the Node API documents for a cancel and ascli sends
 * (docs/node-api.md §5). Node's HTTP parser (llhttp) knows a fixed list of methods without CANCEL
 * (`http.METHODS`) and fails such a request with `HPE_INVALID_METHOD` before any route sees it. The
 * server's `clientError` event still receives the bytes it read (`err.rawPacket`): a complete
 * CANCEL request there is answered as the `DELETE` of the same path (the OAS files CANCEL under the
 * delete operation: 204), through the app with its authentication, on a connection that then
 * closes, since the parser cannot go on after its error. Anything else keeps Fastify's answer.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';

// A CANCEL carries no body; its request line and headers fit in one read in practice.
const MAX_CANCEL_BYTES = 64 * 1024;
const CANCEL_LINE = /^CANCEL (\/ops\/transfers\/[^\s?#]+) HTTP\/1\.[01]$/;

type ClientError = Error & { code?: string; rawPacket?: Buffer };
type ClientErrorListener = (err: ClientError, socket: Socket) => void;

export function acceptCancelMethod(server: Server, inject: (options: InjectOptions) => Promise<LightMyRequestResponse>): void {
  const previous = server.listeners('clientError') as ClientErrorListener[];
  server.removeAllListeners('clientError');
  server.on('clientError', (err: ClientError, socket: Socket) => {
    const request = err.code === 'HPE_INVALID_METHOD' && err.rawPacket ? parseCancel(err.rawPacket) : null;
    if (!request || socket.destroyed) {
      for (const listener of previous) listener.call(server, err, socket);
      return;
    }
    void inject({ method: 'DELETE', url: request.url, headers: request.headers, remoteAddress: socket.remoteAddress ?? '' })
      .then((res) => {
        const body = res.rawPayload;
        const headers = Object.entries(res.headers)
          .filter(([name]) => !['connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(name.toLowerCase()))
          .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${name}: ${String(v)}\r\n`))
          .join('');
        const head = `HTTP/1.1 ${res.statusCode} ${STATUS_CODES[res.statusCode] ?? ''}\r\n${headers}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
        socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
      })
      .catch(() => socket.destroy());
  });
}

/** The request line and headers of a bodiless CANCEL on a transfer, or null. */
export function parseCancel(raw: Buffer): { url: string; headers: Record<string, string> } | null {
  if (raw.length > MAX_CANCEL_BYTES) return null;
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [line, ...fields] = text.slice(0, end).split('\r\n');
  const match = CANCEL_LINE.exec(line ?? '');
  if (!match?.[1]) return null;
  const headers: Record<string, string> = {};
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon <= 0) return null;
    const name = field.slice(0, colon).trim().toLowerCase();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) return null;
    headers[name] = field.slice(colon + 1).trim();
  }
  // A body would be left unread on the socket (and is not part of a cancel).
  if ((headers['content-length'] ?? '0') !== '0' || headers['transfer-encoding']) return null;
  return { url: match[1], headers };
}
