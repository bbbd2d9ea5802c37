import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/database';
import type { NotificationsTable } from '../../db/schema';

export type NotificationRow = NotificationsTable;

let sequence = 0;
/**
 * Ids that sort in the order this process wrote them (time, then a counter, then randomness):
 * several notices in one millisecond still list newest first.
 */
function sortableId(now: number): string {
  sequence = (sequence + 1) % 36 ** 4;
  return `${now.toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}-${randomBytes(8).toString('hex')}`;
}

/** The bell's rows. Every query names the user: nobody reads or marks another's notifications. */
export function createNotificationsRepository(db: Db) {
  return {
    async insert(row: { userId: string; kind: string; subject: string; text: string; link: string | null }, now = Date.now()) {
      await db
        .insertInto('notifications')
        .values({
          id: sortableId(now),
          user_id: row.userId,
          kind: row.kind,
          subject: row.subject,
          text: row.text,
          link: row.link,
          created_at: now,
        })
        .execute();
    },

    async page(userId: string, offset: number, limit: number) {
      const [rows, counts] = await Promise.all([
        db
          .selectFrom('notifications')
          .selectAll()
          .where('user_id', '=', userId)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .offset(offset)
          .limit(limit)
          .execute(),
        this.counts(userId),
      ]);
      return { rows, ...counts };
    },

    async counts(userId: string): Promise<{ total: number; unread: number }> {
      const row = await db
        .selectFrom('notifications')
        .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.count<number>('id').filterWhere('read_at', 'is', null).as('unread')])
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return { total: Number(row.total), unread: Number(row.unread) };
    },

    /** Marks the user's own rows among `ids` (all of them when `ids` is null) read; others' ids change nothing. */
    async markRead(userId: string, ids: string[] | null, now = Date.now()) {
      let query = db.updateTable('notifications').set({ read_at: now }).where('user_id', '=', userId).where('read_at', 'is', null);
      if (ids) query = query.where('id', 'in', ids);
      await query.execute();
    },
  };
}

export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>;
