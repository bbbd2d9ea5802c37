import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import {
  changePasswordRequestSchema,
  endedSessionsResponseSchema,
  profileSchema,
  profileSessionsResponseSchema,
  updateProfileRequestSchema,
} from '../../../contract/profile';
import { userSchema } from '../../../contract/session';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import { requireSession } from '../auth/auth-plugin';
import type { ProfileService } from './profile-service';

/** Everyone's own profile: no admin needed, and nobody reaches anyone else's. */
export const profileRoutes: FastifyPluginAsync<{ profile: ProfileService }> = async (fastify, { profile }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.patch('/api/profile', { schema: { body: updateProfileRequestSchema, response: { 200: userSchema } } }, async (request) =>
    profile.update(requireSession(request).user, request.body),
  );

  app.get('/api/profile', { schema: { response: { 200: profileSchema } } }, async (request) => profile.get(requireSession(request).user));

  app.post(
    '/api/profile/password',
    { schema: { body: changePasswordRequestSchema, response: { 200: endedSessionsResponseSchema } } },
    async (request) => {
      const { user, row } = requireSession(request);
      return { ended: await profile.changePassword(user, row.id_hash, request.body, request.ip) };
    },
  );

  app.get('/api/profile/sessions', { schema: { response: { 200: profileSessionsResponseSchema } } }, async (request) => {
    const { user, row } = requireSession(request);
    return { sessions: await profile.listSessions(user.id, row.id_hash) };
  });

  app.delete('/api/profile/sessions', { schema: { response: { 200: endedSessionsResponseSchema } } }, async (request) => {
    const { user, row } = requireSession(request);
    return { ended: await profile.endOtherSessions(user.id, row.id_hash) };
  });

  app.delete(
    '/api/profile/sessions/:sessionId',
    { schema: { params: z.object({ sessionId: z.string().min(1).max(64) }), response: { 204: z.null() } } },
    async (request, reply) => {
      const { user, row } = requireSession(request);
      await profile.endSession(user.id, row.id_hash, request.params.sessionId);
      return reply.status(204).send(null);
    },
  );
};
