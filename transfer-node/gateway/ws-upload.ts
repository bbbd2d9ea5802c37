/**
 * The gateway's WebSocket uploads, `{gateway}/v1/upload` and `{gateway}/v2/upload`
 * (docs/http-gateway.md §9), on the HTTP server's `upgrade` event: Fastify routes no upgrades.
 * A page on an origin the node does not serve is refused at the handshake, as CORS refuses it for
 * v3 (docs/http-gateway.md §7); clients without an Origin (the CLI) are authorized by the token alone.
 */
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { TrustedProxies } from '../client-address';
import { refusal, type ConnectionGuard } from '../connection-guard';
import type { NodeContext } from '../context';
import { NodeError } from '../errors';
import { GATEWAY_PREFIX } from './gateway-routes';
import { WsUploadSession, type WsApiVersion } from './ws-upload-session';

// A v1 slice of IBM's 64,000-byte chunks is ~85 KB of base64; the spec may list every path (4 MiB, as for v3).
const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;
// Time for the error message to leave before the socket is cut under a client that does not read.
const CLOSE_GRACE_MS = 1000;

/** Who the client is behind the trusted proxies, and its per-address cap (connection-guard.ts). */
export interface WsClients {
  proxies: TrustedProxies;
  guard: ConnectionGuard;
}

export function acceptWsUploads(server: Server, ctx: NodeContext, clients: WsClients): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const version = uploadVersion(req.url ?? '');
    if (!version) return refuse(socket, 404, 'Not found');
    const origin = req.headers.origin;
    if (typeof origin === 'string' && !ctx.settings.corsOrigins.some((o) => o.replace(/\/$/, '') === origin))
      return refuse(socket, 403, 'Origin not allowed');
    // Fastify routes no upgrade, so request.ip is not there: the same walk of X-Forwarded-For.
    const clientIp = clients.proxies.clientAddress(req);
    const done = clients.proxies.trusts(req.socket.remoteAddress) ? clients.guard.admitForwarded(clientIp) : () => undefined;
    if (!done) return refuse(socket, 503, refusal().body.message);
    socket.once('close', done);
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      serve(ctx, ws, version, req, clientIp);
    });
  });
  return {
    close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
    },
  };
}

function uploadVersion(url: string): WsApiVersion | null {
  const path = url.split('?')[0];
  if (path === `${GATEWAY_PREFIX}/v2/upload`) return 'v2';
  if (path === `${GATEWAY_PREFIX}/v1/upload`) return 'v1';
  return null;
}

function refuse(socket: Duplex, status: 403 | 404 | 503, message: string): void {
  const body = JSON.stringify({ message, code: status });
  const retry = status === 503 ? `Retry-After: ${refusal().headers['Retry-After']}\r\n` : '';
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n${retry}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function serve(ctx: NodeContext, ws: WebSocket, version: WsApiVersion, req: IncomingMessage, clientIp: string): void {
  const session = new WsUploadSession(
    ctx,
    version,
    {
      send: (text) => ws.send(text),
      close: (error: NodeError) => {
        ws.close(error.status >= 500 ? 1011 : 1008, error.message.slice(0, 120));
        setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
      },
    },
    { authorization: req.headers.authorization, clientIp },
  );
  let chain = Promise.resolve();
  let pending = 0;
  const { uploadAuthorizeTimeoutMs, uploadIdleTimeoutMs } = ctx.limits;
  const authorizeTimer = setTimeout(() => {
    if (!session.authorized)
      expire(`The transfer_spec was not received and authorized within ${Math.ceil(uploadAuthorizeTimeoutMs / 1000)} s`);
  }, uploadAuthorizeTimeoutMs);
  let idleTimer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => expire(`No upload data received for ${Math.ceil(uploadIdleTimeoutMs / 1000)} s`), uploadIdleTimeoutMs);
  };
  const expire = (message: string) => {
    chain = chain.then(() => session.fail(new NodeError(408, message, 'timeout')));
  };
  arm();
  ws.on('message', (data: RawData, isBinary: boolean) => {
    // Frames are handled one at a time and the socket is paused meanwhile, so a client that does
    // not wait for acknowledgements (IBM's CLI by default) is held back by the disk, not buffered.
    pending += 1;
    ws.pause();
    clearTimeout(idleTimer);
    chain = chain.then(async () => {
      await session.handle(toBuffer(data), isBinary);
      pending -= 1;
      // Resumed even when done: the client's close frame must still be read.
      if (pending === 0) {
        if (!session.done) arm();
        ws.resume();
      }
    });
  });
  ws.on('close', () => {
    clearTimeout(authorizeTimer);
    clearTimeout(idleTimer);
    chain = chain.then(() => session.fail(new NodeError(499, 'The client closed the connection before the upload completed')));
  });
  ws.on('error', () => undefined);
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
