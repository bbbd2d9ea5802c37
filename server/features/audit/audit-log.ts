import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database';
import type { AuditLogTable } from '../../db/schema';

export interface AuditEntry {
  userId: string | null;
  action: string;
  spaceId?: string | null;
  target?: string | null;
  decision: 'allow' | 'deny';
  reason?: string | null;
}

/** Every authorization decision, allowed or denied, in the database where admins can read it. */
export function createAuditLog(db: Db) {
  return {
    async record(entry: AuditEntry): Promise<void> {
      await db
        .insertInto('audit_log')
        .values({
          id: randomUUID(),
          at: Date.now(),
          user_id: entry.userId,
          action: entry.action,
          space_id: entry.spaceId ?? null,
          target: storable(entry.target?.slice(0, 4096)),
          decision: entry.decision,
          reason: storable(entry.reason),
        })
        .execute();
    },
    list(filter: { limit: number; before?: number; userId?: string; decision?: 'allow' | 'deny' }): Promise<AuditLogTable[]> {
      let query = db.selectFrom('audit_log').selectAll().orderBy('at', 'desc').orderBy('id').limit(filter.limit);
      if (filter.before !== undefined) query = query.where('at', '<', filter.before);
      if (filter.userId) query = query.where('user_id', '=', filter.userId);
      if (filter.decision) query = query.where('decision', '=', filter.decision);
      return query.execute();
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;

/**
 * PostgreSQL text cannot hold a NUL character, and a refused path is logged as it was sent: a NUL
 * in it made the denial's audit write fail (a 500 instead of the 400, and no audit entry). It is
 * written as the six characters `\u0000`, the same on both dialects.
 */
function storable(text: string | null | undefined): string | null {
  return text?.replaceAll('\u0000', '\\u0000') ?? null;
}
