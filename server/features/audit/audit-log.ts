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
          target: entry.target?.slice(0, 4096) ?? null,
          decision: entry.decision,
          reason: entry.reason ?? null,
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
