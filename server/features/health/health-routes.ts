import type { FastifyPluginAsync } from 'fastify';
import { healthSchema, livenessSchema, type Health } from '../../../contract/health';
import { isDatabaseReachable, type Db } from '../../db/database';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import { pingNode } from '../../node-client/ping';

export interface HealthRoutesOptions {
  db: Db;
  /** The nodes to report on; names only leave the server, never URLs with credentials. */
  nodes: () => Promise<Array<{ name: string; url: string; verifyTls?: boolean }>>;
}

/**
 * Public, for load balancers and operators: reachability only, nothing secret. `/api/health` is the
 * readiness answer (can this instance serve: its database, and the nodes), `/api/health/live` the
 * liveness one (is the process answering at all); a closing instance answers 503 to both
 * (docs/deployment.md §5).
 */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (fastify, { db, nodes }) => {
  fastify.withTypeProvider<ZodTypeProvider>().get(
    '/api/health/live',
    { config: { auth: 'public' }, schema: { response: { 200: livenessSchema } } },
    // Nothing but the process: a database outage makes the instance unready, not dead, and a
    // restart would not bring the database back.
    async () => ({ status: 'ok' as const }),
  );
  fastify.withTypeProvider<ZodTypeProvider>().get(
    '/api/health',
    {
      config: { auth: 'public' },
      schema: { response: { 200: healthSchema, 503: healthSchema } },
    },
    async (_request, reply) => {
      // The node list lives in the database too: without it, report the database and no nodes.
      const [databaseOk, nodeList] = await Promise.all([isDatabaseReachable(db), nodes().catch(() => [])]);
      const nodeResults = await Promise.all(
        nodeList.map(async (n) => ({ name: n.name, ...(await pingNode(n.url, undefined, { verifyTls: n.verifyTls ?? true })) })),
      );
      const health: Health = {
        status: databaseOk && nodeResults.every((n) => n.ok) ? 'ok' : 'degraded',
        database: { ok: databaseOk },
        nodes: nodeResults,
      };
      // Without its database the portal can serve nothing; a node being down is degraded, not dead.
      return reply.status(databaseOk ? 200 : 503).send(health);
    },
  );
};
