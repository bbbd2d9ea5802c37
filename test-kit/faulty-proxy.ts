/**
 * An HTTP proxy in front of a gateway that plays faults on the requests a test picks (`decide`):
 * it answers for the gateway, cuts the client's connection part-way through a body (holding the
 * gateway's side open until told, as a cut the far end has not seen yet), or holds a request until
 * a condition. It notes every request, its answer and the body bytes it forwarded, so a test counts
 * what the gateway was sent. Each request goes on a connection of its own to the gateway.
 */
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * What the proxy does to a request: pass it (null), pass it or answer for the gateway once `until`
 * resolves, or cut the client's connection after `cutAfter` body bytes; the gateway's side
 * of a cut closes after those bytes once `lingers` resolves (a cut it does not see at once, as
 * across a WAN).
 */
export type Fault =
  | { answer: number; headers?: Record<string, string>; until?: Promise<unknown> }
  | { cutAfter: number; lingers: Promise<void> }
  | { until: Promise<unknown> }
  | null;
export interface Seen {
  method: string;
  /** Below the gateway's path, an upload session's id written `{id}`. */
  path: string;
  /** `Upload-Offset`, on a session's part. */
  offset?: string;
  length?: string;
  fault: Fault;
  /** The gateway's answer, when one came. */
  status?: number;
  /** Body bytes forwarded to the gateway. */
  forwarded: number;
}

export interface FaultyProxy {
  url: string;
  seen: Seen[];
  /** Resolves at the first fault played (an answer: once the client has read it). */
  faulted: Promise<void>;
  close(): Promise<void>;
}

export async function faultyProxy(targetUrl: string, decide: (req: IncomingMessage, seen: Seen[]) => Fault): Promise<FaultyProxy> {
  const target = new URL(targetUrl);
  let markFaulted = () => {};
  const proxy: FaultyProxy = {
    url: '',
    seen: [],
    faulted: new Promise((resolve) => (markFaulted = resolve)),
    close: async () => {},
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').slice(target.pathname.length).replace(/\/[A-Za-z0-9_-]{43}/, '/{id}');
    const offset = req.headers['upload-offset'] as string | undefined;
    const fault = decide(req, proxy.seen);
    const seen: Seen = { method: req.method ?? '', path, offset, length: req.headers['content-length'], fault, forwarded: 0 };
    proxy.seen.push(seen);
    if (fault && !('answer' in fault)) markFaulted();
    const held = fault && 'until' in fault && fault.until ? fault.until : Promise.resolve();
    req.pause();
    void held.then(() => {
      if (fault && 'answer' in fault) {
        const body = JSON.stringify({ message: `The proxy answered ${fault.answer}`, code: fault.answer });
        // Answered once the body is in (an answer before it races the client's writes with the
        // close: the client may see a reset instead); played once the client read the answer and
        // closed the connection it was asked to close.
        req.socket.once('close', markFaulted);
        req.on('end', () =>
          res.writeHead(fault.answer, { 'content-type': 'application/json', connection: 'close', ...fault.headers }).end(body),
        );
        req.resume();
      } else forward(req, res, seen, fault && 'cutAfter' in fault ? fault : null);
    });
  });
  function forward(req: IncomingMessage, res: ServerResponse, seen: Seen, fault: { cutAfter: number; lingers: Promise<void> } | null) {
    // A connection of its own per request: one whose body was cut short must not carry the next.
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent: false },
      (answer) => {
        seen.status = answer.statusCode;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    // Once the gateway answered, the rest of the body goes nowhere: a paused request would keep
    // this connection from reading the client's next request on it.
    upstream.on('response', (answer) =>
      answer.on('end', () => {
        if (req.complete) return;
        upstream.destroy();
        req.resume();
      }),
    );
    req.on('data', (chunk: Buffer) => {
      if (seen.status !== undefined) return;
      const room = fault ? fault.cutAfter - seen.forwarded : chunk.length;
      const part = chunk.subarray(0, Math.max(0, room));
      seen.forwarded += part.length;
      if (part.length === chunk.length) {
        if (!upstream.write(chunk)) req.pause();
        return;
      }
      // The cut: the client's connection is reset; the bytes before it reach the gateway, whose
      // socket closes after them once the fault lets it.
      req.pause();
      req.socket.destroy();
      upstream.write(part, () => void fault?.lingers.then(() => upstream.destroy()));
    });
    upstream.on('drain', () => req.resume());
    req.on('end', () => upstream.end());
    // A client that went away mid-body: the gateway sees it go too (a cut played above lingers instead).
    req.on('close', () => {
      if (!req.complete && !fault) upstream.destroy();
    });
    req.resume();
  }
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  proxy.url = `http://127.0.0.1:${(server.address() as { port: number }).port}${target.pathname}`;
  proxy.close = async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close').catch(() => undefined);
  };
  return proxy;
}
