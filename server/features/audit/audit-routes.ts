import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { auditPageSchema, auditQuerySchema } from '../../../contract/audit';
import { ERRORS } from '../../errors';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import type { AuditFilter, AuditLog } from './audit-log';
import { csvRow } from './csv';
import { requireAdmin } from './require-admin';

const filterQuerySchema = auditQuerySchema.omit({ offset: true, limit: true });

function toFilter(query: { userId?: string; action?: string; decision?: 'allow' | 'deny'; from?: string; to?: string }): AuditFilter {
  const from = query.from === undefined ? undefined : Date.parse(query.from);
  const to = query.to === undefined ? undefined : Date.parse(query.to);
  if (from !== undefined && to !== undefined && from >= to) throw ERRORS.BadRequest('"from" must be before "to".');
  return { userId: query.userId, action: query.action, decision: query.decision, from, to };
}

/** The audit log for admins: a filtered page as JSON, and the same filter as a CSV download. */
export const auditRoutes: FastifyPluginAsync<{ audit: AuditLog }> = async (fastify, { audit }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/admin/audit', { schema: { querystring: auditQuerySchema, response: { 200: auditPageSchema } } }, async (request) => {
    await requireAdmin(request, audit, 'audit-read');
    const { offset, limit } = request.query;
    const [{ rows, total }, actions] = await Promise.all([audit.page({ ...toFilter(request.query), offset, limit }), audit.actions()]);
    return {
      total,
      actions,
      entries: rows.map((r) => ({
        id: r.id,
        at: new Date(Number(r.at)).toISOString(),
        userId: r.user_id,
        username: r.username ?? null,
        action: r.action,
        spaceId: r.space_id,
        target: r.target,
        decision: r.decision,
        reason: r.reason,
      })),
    };
  });

  app.get(
    '/api/admin/audit.csv',
    {
      schema: { querystring: filterQuerySchema },
      config: { rawResponse: { status: 200, contentType: 'text/csv', description: 'The matching audit entries as CSV, newest first.' } },
    },
    async (request, reply) => {
      const admin = await requireAdmin(request, audit, 'audit-export');
      const filter = toFilter(request.query);
      await audit.record({ userId: admin.id, action: 'audit-export', target: JSON.stringify(request.query), decision: 'allow' });
      async function* lines() {
        yield csvRow(['time', 'user id', 'username', 'action', 'decision', 'space id', 'target', 'reason']);
        for await (const r of audit.each(filter))
          yield csvRow([new Date(Number(r.at)).toISOString(), r.user_id, r.username, r.action, r.decision, r.space_id, r.target, r.reason]);
      }
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="courier-audit.csv"')
        .header('cache-control', 'no-store')
        .send(Readable.from(lines()));
    },
  );
};
