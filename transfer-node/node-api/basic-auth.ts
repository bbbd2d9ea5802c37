/**
 * Authentication of every Node API request (docs/node-api.md §1.1, §1.2): Basic with the node user
 * or with an access key id and secret, or `Bearer <token>` with `X-Aspera-AccessKey`. Node-user
 * credentials are compared in constant time; every failure counts against the per-IP throttle.
 * The route's `config.access` then says which of these it takes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AccessKeys } from '../access/access-keys';
import { verifyBearerToken } from '../access/bearer-token';
import type { Principal } from '../access/principal';
import { ERRORS, NodeError } from '../errors';
import type { AuthThrottle } from './auth-throttle';

export interface AuthOptions {
  user: string;
  password: string;
  throttle: AuthThrottle;
  accessKeys: AccessKeys;
}

const BASIC_REQUIRED = 'Basic authentication with the node credentials or an access key is required';

export function authenticationHook(options: AuthOptions) {
  const expected = digest(`${options.user}:${options.password}`);
  const { throttle } = options;
  return async (request: FastifyRequest): Promise<void> => {
    const retryAfter = throttle.retryAfterSeconds(request.ip);
    if (retryAfter > 0) throw ERRORS.tooManyAttempts(retryAfter);
    const header = request.headers.authorization;
    // No header is not a guess (ascli probes that way); a malformed one is counted like a wrong one.
    if (header === undefined) throw ERRORS.unauthorized(BASIC_REQUIRED);
    let principal: Principal;
    try {
      principal = await identify(header, request.headers['x-aspera-accesskey'], expected, options.accessKeys);
    } catch (err) {
      if (err instanceof NodeError && err.status === 401) throttle.recordFailure(request.ip);
      throw err;
    }
    request.principal = principal;
    const access = request.routeOptions.config.access ?? 'basic';
    if (access === 'node-user' && principal.kind !== 'node') throw ERRORS.forbidden('Only the node user may do this');
    if (access === 'basic' && principal.kind === 'bearer')
      throw ERRORS.forbidden('This call does not accept bearer tokens; use the /files/{id} calls');
  };
}

async function identify(
  header: string,
  accessKeyHeader: string | string[] | undefined,
  expected: Buffer,
  keys: AccessKeys,
): Promise<Principal> {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (basic) {
    const text = Buffer.from(basic[1] as string, 'base64').toString('utf8');
    if (timingSafeEqual(digest(text), expected)) return { kind: 'node' };
    const colon = text.indexOf(':');
    const key = colon > 0 ? await keys.authenticate(text.slice(0, colon), text.slice(colon + 1)) : null;
    if (key) return { kind: 'access_key', key };
    throw ERRORS.unauthorized();
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) {
    if (typeof accessKeyHeader !== 'string' || accessKeyHeader.length === 0)
      throw ERRORS.unauthorized('A bearer token needs the X-Aspera-AccessKey header');
    const key = keys.get(accessKeyHeader);
    if (!key) throw ERRORS.unauthorized('Unknown access key');
    const token = bearer[1] as string;
    return { kind: 'bearer', key, claims: verifyBearerToken(token, key), token };
  }
  throw ERRORS.unauthorized(BASIC_REQUIRED);
}

// Hashing first gives equal-length buffers, so timingSafeEqual never leaks the length.
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
