import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { mailStatusSchema, mailTestRequestSchema, mailTestResponseSchema } from '../../../contract/notifications';
import { ERRORS } from '../../errors';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import type { AuditLog } from '../audit/audit-log';
import { requireAdmin } from '../audit/require-admin';
import type { UsersRepository } from '../auth/users-repository';
import type { MailDelivery } from './mail-delivery';
import type { MailQueue } from './mail-queue';
import type { Notifier } from './notifier';

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

export interface MailAdminDeps {
  queue: MailQueue;
  delivery: Pick<MailDelivery, 'destination'>;
  from: string;
  maxAttempts: number;
  notifier: Notifier;
  users: Pick<UsersRepository, 'findById'>;
  audit: AuditLog;
  /** Wakes the worker after a Retry. */
  onQueued: () => void;
}

/** The admin console's Mail page: where mail goes, the queue's state, Retry of a failed message, a test message. */
export const mailAdminRoutes: FastifyPluginAsync<MailAdminDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/admin/mail', { schema: { response: { 200: mailStatusSchema } } }, async (request) => {
    await requireAdmin(request, deps.audit, 'mail-read');
    const [counts, rows] = await Promise.all([deps.queue.counts(), deps.queue.unsent(100)]);
    return {
      destination: deps.delivery.destination,
      from: deps.from,
      maxAttempts: deps.maxAttempts,
      counts,
      messages: rows.map((r) => ({
        id: r.id,
        to: r.to_address,
        subject: r.subject,
        status: r.status,
        attempts: r.attempts,
        lastError: r.last_error,
        nextAttemptAt: r.status === 'failed' ? null : iso(r.next_attempt_at),
        createdAt: iso(r.created_at) as string,
      })),
    };
  });

  app.post(
    '/api/admin/mail/:mailId/retry',
    { schema: { params: z.object({ mailId: z.string().min(1).max(100) }), response: { 204: z.null() } } },
    async (request, reply) => {
      const admin = await requireAdmin(request, deps.audit, 'mail-retry', request.params.mailId);
      if (!(await deps.queue.requeueFailed(request.params.mailId, Date.now()))) {
        if (!(await deps.queue.exists(request.params.mailId))) throw ERRORS.NotFound('This message');
        throw ERRORS.Conflict('Only a message that failed can be retried; this one is queued or already sent.');
      }
      await deps.audit.record({ userId: admin.id, action: 'mail-retry', target: request.params.mailId, decision: 'allow' });
      deps.onQueued();
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/admin/mail/test',
    { schema: { body: mailTestRequestSchema, response: { 202: mailTestResponseSchema } } },
    async (request, reply) => {
      const admin = await requireAdmin(request, deps.audit, 'mail-test');
      const email = request.body.email ?? (await deps.users.findById(admin.id))?.email ?? null;
      await deps.notifier.notify({
        userId: admin.id,
        email,
        kind: 'mail.test',
        subject: 'Courier test notification',
        text: `${admin.displayName} asked Courier for a test notification. If you read this, notifications reach you.`,
        link: '/admin/mail',
      });
      await deps.audit.record({ userId: admin.id, action: 'mail-test', target: email, decision: 'allow' });
      return reply.code(202).send({ email });
    },
  );
};
