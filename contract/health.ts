import { z } from 'zod';

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ ok: z.boolean() }),
  nodes: z.array(z.object({ name: z.string(), ok: z.boolean(), message: z.string().optional() })),
});
export type Health = z.infer<typeof healthSchema>;

/** `GET /api/health/live`: the process answers (no database, no node): a load balancer's liveness probe. */
export const livenessSchema = z.object({ status: z.literal('ok') });
export type Liveness = z.infer<typeof livenessSchema>;
