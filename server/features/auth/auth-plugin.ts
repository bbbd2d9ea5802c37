import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CSRF_HEADER, SESSION_ENDS_IN_HEADER } from '../../../contract/session-header';
import { ERRORS } from '../../errors';
import { scopesGrant, tokenNeedOf } from '../api-tokens/token-scopes';
import type { ActiveSession, AuthService, ResolvedSession } from './auth-service';

export const SESSION_COOKIE = 'courier_session';

/** Per-route access: `public` needs no session; `optional` reads one if there is one. */
export type RouteAuth = 'required' | 'optional' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /**
     * A request the page makes on its own (a poll), not a person using Courier: it reads the
     * session without counting as use, so polling never keeps an idle session alive.
     */
    background?: boolean;
  }
  interface FastifyRequest {
    resolvedSession: ResolvedSession | null;
    /** The caller's active session; set on every route whose auth is `required`. */
    activeSession: ActiveSession | null;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** All a user whose password an admin set may do before choosing their own: ask who they are, log out, change it. */
const BEFORE_PASSWORD_CHANGE = new Set(['GET /api/session', 'DELETE /api/session', 'POST /api/profile/password']);

/**
 * Authenticates /api requests from the session cookie and guards every state-changing request
 * against cross-site forgery twice: the browser's own Sec-Fetch-Site/Origin must be same-origin,
 * and an authenticated request must carry the session's CSRF token in a header that a cross-site
 * form cannot set.
 *
 * A request with `Authorization: Bearer courier_pat_…` is authenticated by that personal API token
 * alone (docs/api-tokens.md §3): the cookie is ignored, no CSRF token is asked (a cross-site form
 * cannot set the header, and the same-origin check still applies), no cookie is set or cleared, and
 * the route must be one the token's scopes grant (server/features/api-tokens/token-scopes.ts).
 */
export function registerAuth(app: FastifyInstance, deps: { auth: AuthService; publicOrigin: string; secureCookies: boolean }) {
  app.decorateRequest('resolvedSession', null);
  app.decorateRequest('activeSession', null);

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') || !STATE_CHANGING.has(request.method)) return;
    if (isCrossSite(request, deps.publicOrigin)) throw ERRORS.CrossSite();
  });

  // Before the body and query are validated: a token that may not call the route hears so, not
  // about its request's shape.
  app.addHook('preValidation', async (request) => {
    const mode = request.routeOptions.config.auth ?? 'required';
    if (mode === 'public' || request.is404 || !request.url.startsWith('/api/')) return;
    const bearer = bearerToken(request);
    if (bearer === undefined) return;
    const byToken = await deps.auth.resolveToken(bearer);
    if (byToken.state !== 'active') throw byToken.state === 'expired' ? ERRORS.TokenExpired() : ERRORS.TokenUnknown();
    const need = tokenNeedOf(request.method, request.routeOptions.url);
    const scopes = byToken.session.token?.scopes ?? [];
    if (!scopesGrant(scopes, need)) throw ERRORS.TokenScope(need, scopes);
    // A password reset by an admin holds the user's tokens too, until they choose their own.
    if (byToken.session.passwordChangeRequired) throw ERRORS.PasswordChangeRequired();
    request.resolvedSession = byToken;
    request.activeSession = byToken.session;
  });

  app.addHook('preHandler', async (request, reply) => {
    const mode = request.routeOptions.config.auth ?? 'required';
    if (mode === 'public' || request.is404 || !request.url.startsWith('/api/')) return;
    // Resolved in preValidation above; a bad token or scope was refused there.
    if (bearerToken(request) !== undefined) return;
    const resolved = await deps.auth.resolve(request.cookies[SESSION_COOKIE], Date.now(), {
      touch: request.routeOptions.config.background !== true,
    });
    request.resolvedSession = resolved;
    if (resolved.state === 'active') {
      request.activeSession = resolved.session;
      setSessionEndsHeader(reply, resolved.session);
      if (STATE_CHANGING.has(request.method) && !deps.auth.isValidCsrfToken(resolved.session, headerValue(request, CSRF_HEADER))) {
        throw ERRORS.CsrfFailed();
      }
      if (
        resolved.session.passwordChangeRequired &&
        mode === 'required' &&
        !BEFORE_PASSWORD_CHANGE.has(`${request.method} ${request.routeOptions.url}`)
      )
        throw ERRORS.PasswordChangeRequired();
      return;
    }
    if (request.cookies[SESSION_COOKIE] !== undefined) clearSessionCookie(reply, deps.secureCookies);
    if (mode === 'required') throw resolved.state === 'expired' ? ERRORS.SessionExpired() : ERRORS.Unauthenticated();
  });
}

/** The active session of a route whose auth is `required` (the preHandler guarantees it). */
export function requireSession(request: FastifyRequest): ActiveSession {
  if (!request.activeSession) throw ERRORS.Unauthenticated();
  return request.activeSession;
}

/** Tells the SPA how long the session has left (SESSION_ENDS_IN_HEADER). */
export function setSessionEndsHeader(reply: FastifyReply, session: ActiveSession, now = Date.now()): void {
  reply.header(SESSION_ENDS_IN_HEADER, String(Math.max(0, session.endsAt - now)));
}

export function setSessionCookie(reply: FastifyReply, sessionId: string, maxAgeSeconds: number, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, sessionId, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: maxAgeSeconds });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

/**
 * The token of an `Authorization: Bearer` header (RFC 6750 §2.1: the scheme is case-insensitive),
 * or undefined when there is none. Another scheme (Basic added by a proxy in front of the portal)
 * is not ours and is left alone: the cookie decides.
 */
function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined || !/^bearer(\s|$)/i.test(header)) return undefined;
  return header.slice('bearer'.length).trim();
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isCrossSite(request: FastifyRequest, publicOrigin: string): boolean {
  const site = headerValue(request, 'sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = headerValue(request, 'origin');
  if (origin === undefined) return false;
  if (origin === publicOrigin) return false;
  try {
    return new URL(origin).origin !== new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    return true; // "null" or garbage: a sandboxed or opaque origin is never ours.
  }
}
