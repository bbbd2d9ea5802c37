import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { loginLocksResponseSchema } from '../../../contract/admin';
import { ERRORS } from '../../errors';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import type { AuditLog } from '../audit/audit-log';
import { requireSession } from './auth-plugin';
import type { LoginThrottle } from './login-throttle';

/** Admins see the login locks in force and can lift one (a user locked out by someone else's guessing). */
export const loginLocksRoutes: FastifyPluginAsync<{ throttle: LoginThrottle; audit: AuditLog }> = async (fastify, { throttle, audit }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const requireAdmin = (request: Parameters<typeof requireSession>[0]) => {
    const { user } = requireSession(request);
    if (!user.isAdmin) throw ERRORS.Forbidden('manage login locks');
    return user;
  };

  app.get('/api/admin/login-locks', { schema: { response: { 200: loginLocksResponseSchema } } }, async (request) => {
    requireAdmin(request);
    return { locks: await throttle.listLocks() };
  });

  // The key in the query, not the path: a 128-character username with an IPv6 address is longer
  // than the router allows a path parameter to be (414).
  app.delete(
    '/api/admin/login-locks',
    { schema: { querystring: z.object({ key: z.string().min(1).max(600) }), response: { 204: z.null() } } },
    async (request, reply) => {
      const admin = requireAdmin(request);
      const { key } = request.query;
      if (!(await throttle.unlock(key))) throw ERRORS.NotFound('This login lock');
      await audit.record({ userId: admin.id, action: 'login-unlock', target: key, decision: 'allow' });
      request.log.info({ key, adminId: admin.id }, 'login lock lifted');
      return reply.status(204).send(null);
    },
  );
};
