/** Basic auth with the node user (docs/node-api.md §1.1), compared in constant time and throttled per client IP. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ERRORS } from '../errors';
import type { AuthThrottle } from './auth-throttle';

export function basicAuthHook(user: string, password: string, throttle: AuthThrottle) {
  const expected = digest(`${user}:${password}`);
  return async (request: FastifyRequest): Promise<void> => {
    const retryAfter = throttle.retryAfterSeconds(request.ip);
    if (retryAfter > 0) throw ERRORS.tooManyAttempts(retryAfter);
    const header = request.headers.authorization;
    // No header is not a guess (ascli probes that way); a malformed one is counted like a wrong one.
    if (header === undefined) throw ERRORS.unauthorized('Basic authentication with the node credentials is required');
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    const given = match ? digest(Buffer.from(match[1] as string, 'base64').toString('utf8')) : null;
    if (!given || !timingSafeEqual(given, expected)) {
      throttle.recordFailure(request.ip);
      throw match ? ERRORS.unauthorized() : ERRORS.unauthorized('Basic authentication with the node credentials is required');
    }
  };
}

// Hashing first gives equal-length buffers, so timingSafeEqual never leaks the length.
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
