/** Basic auth with the node user (node-api.md §1.1), compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ERRORS } from '../errors';

export function basicAuthHook(user: string, password: string) {
  const expected = digest(`${user}:${password}`);
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
    if (!match) throw ERRORS.unauthorized('Basic authentication with the node credentials is required');
    const given = digest(Buffer.from(match[1] as string, 'base64').toString('utf8'));
    if (!timingSafeEqual(given, expected)) throw ERRORS.unauthorized();
  };
}

// Hashing first gives equal-length buffers, so timingSafeEqual never leaks the length.
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
