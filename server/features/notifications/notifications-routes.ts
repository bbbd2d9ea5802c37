import type { FastifyPluginAsync } from 'fastify';
import {
  markReadRequestSchema,
  markReadResponseSchema,
  notificationsPageSchema,
  notificationsQuerySchema,
} from '../../../contract/notifications';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import { requireSession } from '../auth/auth-plugin';
import type { NotificationsRepository } from './notifications-repository';

/** The bell: the caller's own notifications and marking them read. The user id comes from the session only. */
export const notificationsRoutes: FastifyPluginAsync<{ notifications: NotificationsRepository }> = async (fastify, { notifications }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/notifications',
    // The bell polls this: reading it is not using Courier, so it does not keep an idle session alive.
    { config: { background: true }, schema: { querystring: notificationsQuerySchema, response: { 200: notificationsPageSchema } } },
    async (request, reply) => {
      const { user } = requireSession(request);
      const { rows, total, unread } = await notifications.page(user.id, request.query.offset, request.query.limit);
      reply.header('cache-control', 'no-store');
      return {
        total,
        unread,
        notifications: rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          subject: r.subject,
          text: r.text,
          link: r.link,
          createdAt: new Date(Number(r.created_at)).toISOString(),
          read: r.read_at !== null,
        })),
      };
    },
  );

  app.post(
    '/api/notifications/read',
    { schema: { body: markReadRequestSchema, response: { 200: markReadResponseSchema } } },
    async (request) => {
      const { user } = requireSession(request);
      await notifications.markRead(user.id, 'ids' in request.body ? request.body.ids : null);
      return { unread: (await notifications.counts(user.id)).unread };
    },
  );
};
