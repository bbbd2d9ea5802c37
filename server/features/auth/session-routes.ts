import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { loginRequestSchema, sessionSchema, type Session } from '../../../contract/session';
import { apiErrorBodySchema } from '../../../contract/api-error';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import { clearSessionCookie, requireSession, SESSION_COOKIE, setSessionCookie, setSessionEndsHeader } from './auth-plugin';
import type { ActiveSession, AuthService } from './auth-service';

export interface SessionRoutesOptions {
  auth: AuthService;
  secureCookies: boolean;
  absoluteTimeoutSeconds: number;
  idleTimeoutSeconds: () => number;
}

export const sessionRoutes: FastifyPluginAsync<SessionRoutesOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { auth, secureCookies } = options;
  const toSession = (s: ActiveSession): Session => ({
    user: s.user,
    csrfToken: s.csrfToken,
    expiresAt: new Date(s.row.expires_at).toISOString(),
    idleTimeoutSeconds: options.idleTimeoutSeconds(),
    passwordChangeRequired: s.passwordChangeRequired,
  });

  app.post(
    '/api/session',
    {
      config: { auth: 'public' },
      schema: { body: loginRequestSchema, response: { 200: sessionSchema, '4xx': apiErrorBodySchema } },
    },
    async (request, reply) => {
      const previous = request.cookies[SESSION_COOKIE];
      const { sessionId, session } = await auth.login({ ...request.body, ip: request.ip, userAgent: request.headers['user-agent'] });
      // A fresh id on every login (no session fixation); the old one, if any, is ended.
      if (previous) await auth.logout(previous);
      setSessionCookie(reply, sessionId, options.absoluteTimeoutSeconds, secureCookies);
      setSessionEndsHeader(reply, session);
      request.log.info({ userId: session.user.id }, 'logged in');
      return toSession(session);
    },
  );

  app.get('/api/session', { schema: { response: { 200: sessionSchema } } }, async (request) => toSession(requireSession(request)));

  app.delete('/api/session', { config: { auth: 'optional' }, schema: { response: { 204: z.null() } } }, async (request, reply) => {
    const sessionId = request.cookies[SESSION_COOKIE];
    if (sessionId && request.activeSession) await auth.logout(sessionId);
    clearSessionCookie(reply, secureCookies);
    return reply.status(204).send(null);
  });
};
