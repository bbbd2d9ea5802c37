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

  app.delete(
    '/api/admin/login-locks/:key',
    { schema: { params: z.object({ key: z.string().min(1).max(600) }), response: { 204: z.null() } } },
    async (request, reply) => {
      const admin = requireAdmin(request);
      if (!(await throttle.unlock(request.params.key))) throw ERRORS.NotFound('This login lock');
      await audit.record({ userId: admin.id, action: 'login-unlock', target: request.params.key, decision: 'allow' });
      request.log.info({ key: request.params.key, adminId: admin.id }, 'login lock lifted');
      return reply.status(204).send(null);
    },
  );
};
