/**
 * A request must reach its handler, its body read and parsed, within `timeoutMs` of its start.
 * Node API and presign bodies are small JSON; a client trickling them holds a socket and a parser
 * for nothing. Uploads reach their handler before their body (it is streamed there), where
 * `gateway/upload-watch.ts` takes over with its own deadlines.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

const timers = new WeakMap<FastifyRequest, NodeJS.Timeout>();

export function enforceRequestDeadline(app: FastifyInstance, timeoutMs: number): void {
  app.addHook('onRequest', async (request) => {
    const socket = request.raw.socket;
    const timer = setTimeout(() => {
      request.log.info({ timeoutMs }, 'request body not received in time: connection closed');
      // Nothing useful can be answered mid-body to a client that does not send: close the socket.
      socket.destroy();
    }, timeoutMs);
    timer.unref();
    timers.set(request, timer);
  });
  // Cleared as soon as the handler runs, and whenever the request ends otherwise (refused by a hook,
  // answered 404, aborted): a keep-alive socket must not be closed later under the next request.
  const clear = async (request: FastifyRequest) => clearTimeout(timers.get(request));
  app.addHook('preHandler', clear);
  app.addHook('onResponse', clear);
  app.addHook('onRequestAbort', clear);
}
