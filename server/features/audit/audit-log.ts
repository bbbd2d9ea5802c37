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

export interface AuditFilter {
  userId?: string;
  action?: string;
  decision?: 'allow' | 'deny';
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
}

/** Every authorization decision, allowed or denied, in the database where admins can read it. */
export function createAuditLog(db: Db) {
  const filtered = (filter: AuditFilter) => {
    let query = db.selectFrom('audit_log');
    if (filter.userId) query = query.where('audit_log.user_id', '=', filter.userId);
    if (filter.action) query = query.where('audit_log.action', '=', filter.action);
    if (filter.decision) query = query.where('audit_log.decision', '=', filter.decision);
    if (filter.from !== undefined) query = query.where('audit_log.at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('audit_log.at', '<', filter.to);
    return query;
  };
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
    /** One page of the entries matching `filter`, newest first, with the matching count. */
    async page(filter: AuditFilter & { offset: number; limit: number }) {
      const rows = await filtered(filter)
        .leftJoin('users', 'users.id', 'audit_log.user_id')
        .selectAll('audit_log')
        .select('users.username')
        .orderBy('audit_log.at', 'desc')
        .orderBy('audit_log.id')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute();
      const counted = await filtered(filter)
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirstOrThrow();
      return { rows, total: Number(counted.n) };
    },
    /** Every entry matching `filter`, newest first, `batch` rows at a time (for an export that does not hold them all). */
    async *each(filter: AuditFilter, batch = 1000) {
      let after: { at: number; id: string } | undefined;
      for (;;) {
        let query = filtered(filter)
          .leftJoin('users', 'users.id', 'audit_log.user_id')
          .selectAll('audit_log')
          .select('users.username')
          .orderBy('audit_log.at', 'desc')
          .orderBy('audit_log.id')
          .limit(batch);
        // Keyset, not offset: rows written during the export neither repeat nor shift the rest.
        if (after) {
          const { at, id } = after;
          query = query.where((eb) =>
            eb.or([eb('audit_log.at', '<', at), eb.and([eb('audit_log.at', '=', at), eb('audit_log.id', '>', id)])]),
          );
        }
        const rows = await query.execute();
        yield* rows;
        if (rows.length < batch) return;
        const last = rows.at(-1);
        if (!last) return;
        after = { at: Number(last.at), id: last.id };
      }
    },
    /** The distinct actions in the log, for a filter's choices. */
    async actions(): Promise<string[]> {
      const rows = await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute();
      return rows.map((r) => r.action);
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
