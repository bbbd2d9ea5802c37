/**
 * CORS for the configured portal origins (docs/http-gateway.md §7). No request carries credentials,
 * so the allowed origin is echoed without Allow-Credentials. Headers go on every answer, errors
 * included, or the browser hides the status and body from the SDK.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NodeError } from '../errors';

// Upload-Offset: a part of an upload session says where it goes (docs/http-gateway.md §11.2).
const ALLOW_HEADERS = 'Authorization, X-Aspera-AccessKey, X-Aspera-Spec, Content-Type, Accept, Range, Upload-Offset';
const EXPOSE_HEADERS =
  'X-Request-Id, Content-Disposition, Content-Length, Content-Type, Content-Range, Accept-Ranges, X-Courier-Skipped-Files, Upload-Offset, Location, ETag, Last-Modified';
// Preflights repeat for every upload; caching them for 10 minutes spares a round trip per file batch.
const MAX_AGE_SECONDS = 600;

/** The headers of an actual (non-preflight) answer; also used by the root 404 for gateway paths. */
export function applyCorsHeaders(request: FastifyRequest, reply: FastifyReply, origins: readonly string[]): void {
  reply.header('Vary', 'Origin');
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origins.some((o) => o.replace(/\/$/, '') === origin)) {
    reply.header('Access-Control-Allow-Origin', origin);
    reply.header('Access-Control-Expose-Headers', EXPOSE_HEADERS);
  }
}

export function registerCors(app: FastifyInstance, origins: readonly string[]): void {
  const allowed = new Set(origins.map((o) => o.replace(/\/$/, '')));
  app.addHook('onRequest', async (request, reply) => applyCorsHeaders(request, reply, origins));
  app.options('/*', async (request, reply) => {
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || !allowed.has(origin)) throw new NodeError(403, 'Origin not allowed', 'cors');
    return reply
      .code(204)
      .header('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE, OPTIONS')
      .header('Access-Control-Allow-Headers', ALLOW_HEADERS)
      .header('Access-Control-Max-Age', String(MAX_AGE_SECONDS))
      .send();
  });
}
