import type { FastifyRequest } from 'fastify';

// A public link's secret is the whole of its authority (docs/packages.md §7, docs/sharing.md §2):
// its page (`/p/…`, `/s/…`, `/r/…`) and its API routes carry it in the path.
const LINK_IN_PATH = /^(\/api\/public\/(?:packages|shares|requests)\/|\/[psr]\/)[^/?#]+/;

/** A request URL as the log may keep it: a public link's secret replaced by `[link]`. */
export function redactLinkSecrets(url: string): string {
  return url.replace(LINK_IN_PATH, '$1[link]');
}

/** Fastify's own request serializer, with the URL's link secret left out (docs/packages.md §7). */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactLinkSecrets(request.url),
    version: request.headers['accept-version']?.toString(),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
