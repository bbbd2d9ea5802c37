import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CSRF_HEADER, SESSION_ENDS_IN_HEADER } from '../../../contract/session-header';
import { ERRORS } from '../../errors';
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
 */
export function registerAuth(app: FastifyInstance, deps: { auth: AuthService; publicOrigin: string; secureCookies: boolean }) {
  app.decorateRequest('resolvedSession', null);
  app.decorateRequest('activeSession', null);

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') || !STATE_CHANGING.has(request.method)) return;
    if (isCrossSite(request, deps.publicOrigin)) throw ERRORS.CrossSite();
  });

  app.addHook('preHandler', async (request, reply) => {
    const mode = request.routeOptions.config.auth ?? 'required';
    if (mode === 'public' || request.is404 || !request.url.startsWith('/api/')) return;
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
