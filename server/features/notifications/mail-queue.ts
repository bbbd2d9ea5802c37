import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database';
import type { Selectable } from 'kysely';
import type { MailOutboxTable } from '../../db/schema';

export type MailRow = Selectable<MailOutboxTable>;

/** The mail queue's queries. The table is the queue: rows outlive the process that queued them. */
export function createMailQueue(db: Db) {
  return {
    async enqueue(mail: { to: string; kind: string; subject: string; text: string; link: string | null }, now = Date.now()) {
      const id = randomUUID();
      await db
        .insertInto('mail_outbox')
        .values({
          id,
          to_address: mail.to,
          kind: mail.kind,
          subject: mail.subject,
          text: mail.text,
          link: mail.link,
          status: 'queued',
          next_attempt_at: now,
          created_at: now,
        })
        .execute();
      return id;
    },

    /** Ids of rows due now: queued ones whose time has come, and claims whose lease has lapsed. */
    async due(now: number, limit: number): Promise<string[]> {
      const rows = await db
        .selectFrom('mail_outbox')
        .select('id')
        .where('status', 'in', ['queued', 'sending'])
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },

    /**
     * Takes a due row for one worker: a single conditional UPDATE, so of two workers (two portal
     * instances on one PostgreSQL) only one sees a row changed; PostgreSQL re-checks the WHERE on
     * the row the other just updated, SQLite runs writes one at a time. The claim is a lease until
     * `leaseUntil`: a worker that dies mid-send leaves the row to be sent again, not lost
     * (docs/notifications.md §2).
     */
    async claim(id: string, now: number, leaseUntil: number): Promise<MailRow | undefined> {
      const result = await db
        .updateTable('mail_outbox')
        .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), next_attempt_at: leaseUntil }))
        .where('id', '=', id)
        .where('status', 'in', ['queued', 'sending'])
        .where('next_attempt_at', '<=', now)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return undefined;
      return db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async markSent(id: string, now: number) {
      await db.updateTable('mail_outbox').set({ status: 'sent', sent_at: now, last_error: null }).where('id', '=', id).execute();
    },

    async markRetry(id: string, error: string, nextAttemptAt: number) {
      await db
        .updateTable('mail_outbox')
        .set({ status: 'queued', last_error: error, next_attempt_at: nextAttemptAt })
        .where('id', '=', id)
        .execute();
    },

    async markFailed(id: string, error: string) {
      await db.updateTable('mail_outbox').set({ status: 'failed', last_error: error }).where('id', '=', id).execute();
    },

    /** An admin's Retry: a failed row goes back in the queue with a fresh count of attempts. */
    async requeueFailed(id: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable('mail_outbox')
        .set({ status: 'queued', attempts: 0, next_attempt_at: now })
        .where('id', '=', id)
        .where('status', '=', 'failed')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Forgets messages sent before `before`: the queue keeps what still matters, not a mail archive. */
    async purgeSent(before: number): Promise<number> {
      const result = await db.deleteFrom('mail_outbox').where('status', '=', 'sent').where('sent_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async exists(id: string) {
      return (await db.selectFrom('mail_outbox').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
    },

    async counts(): Promise<Record<MailRow['status'], number>> {
      const rows = await db
        .selectFrom('mail_outbox')
        .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      const counts = { queued: 0, sending: 0, sent: 0, failed: 0 };
      for (const r of rows) counts[r.status] = Number(r.n);
      return counts;
    },

    /** What an admin looks at: messages not sent (failed first in importance, newest first). */
    async unsent(limit: number): Promise<MailRow[]> {
      return db
        .selectFrom('mail_outbox')
        .selectAll()
        .where('status', 'in', ['failed', 'queued', 'sending'])
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
    },
  };
}

export type MailQueue = ReturnType<typeof createMailQueue>;
