import { z } from 'zod';
import { auditEntrySchema } from './admin';

export const AUDIT_PAGE_SIZE_MAX = 200;

/** The audit log's filters; every one optional. `from`/`to` are ISO times, `to` exclusive. */
export const auditQuerySchema = z.object({
  userId: z.string().max(200).optional(),
  action: z.string().max(200).optional(),
  decision: z.enum(['allow', 'deny']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_SIZE_MAX).default(50),
});
export type AuditQuery = z.input<typeof auditQuerySchema>;

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema.extend({ username: z.string().nullable() })),
  total: z.number().int(),
  /** Actions that occur in the log, for the filter's choices. */
  actions: z.array(z.string()),
});
export type AuditPage = z.infer<typeof auditPageSchema>;
