import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { LoginThrottleTable } from '../../db/schema';

export type ThrottleRow = LoginThrottleTable;

/**
 * Attempt counters per key in the database, so every portal instance sharing it sees the same
 * counts. Each change is one statement: concurrent logins, here or on another instance, cannot
 * read the same count and both pass.
 */
export function createLoginThrottleRepository(db: Db) {
  // Epoch milliseconds overflow PostgreSQL's int4, which an untyped parameter next to an integer
  // column would be taken for.
  const ms = (value: number) => sql<number>`cast(${value} as bigint)`;

  return {
    /**
     * Takes one attempt for `key` if it is under `max` in its window and past its delay, starting a
     * new window when the old one has ended; returns the row as it now is, or undefined when refused.
     * The next attempt must then wait `delayStepMs` per earlier attempt (the progressive delay).
     */
    async reserve(key: string, max: number, windowMs: number, delayStepMs: number, now: number): Promise<ThrottleRow | undefined> {
      const expired = sql<boolean>`login_throttle.window_started_at <= ${ms(now - windowMs)}`;
      // No delay is 0, not `now`: concurrent requests read the clock in no particular order, and one
      // that read it a millisecond earlier must not find itself "too early".
      const delayed =
        delayStepMs === 0
          ? sql<number>`0`
          : sql<number>`case when ${expired} then 0 else ${ms(now)} + ${ms(delayStepMs)} * login_throttle.failures end`;
      return db
        .insertInto('login_throttle')
        .values({ key, failures: 1, window_started_at: now, not_before: 0 })
        .onConflict((oc) =>
          oc
            .column('key')
            .doUpdateSet({
              failures: sql`case when ${expired} then 1 else login_throttle.failures + 1 end`,
              window_started_at: sql`case when ${expired} then ${ms(now)} else login_throttle.window_started_at end`,
              not_before: delayed,
            })
            .where(sql<boolean>`${expired} or (login_throttle.failures < ${max} and login_throttle.not_before <= ${ms(now)})`),
        )
        .returningAll()
        .executeTakeFirst();
    },

    /** Gives back one attempt taken in the window that started at `windowStartedAt`. */
    async release(key: string, windowStartedAt: number): Promise<void> {
      await db
        .updateTable('login_throttle')
        .set((eb) => ({ failures: eb('failures', '-', 1) }))
        .where('key', '=', key)
        .where('window_started_at', '=', windowStartedAt)
        .where('failures', '>', 0)
        .execute();
    },

    find(key: string): Promise<ThrottleRow | undefined> {
      return db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
    },

    /** Rows of the current window whose key starts with one of `prefixes` and has reached its limit. */
    listAtLimit(limits: Array<{ prefix: string; max: number }>, windowMs: number, now: number, limit = 500): Promise<ThrottleRow[]> {
      return db
        .selectFrom('login_throttle')
        .selectAll()
        .where('window_started_at', '>', now - windowMs)
        .where((eb) => eb.or(limits.map(({ prefix, max }) => eb.and([eb('key', 'like', `${prefix}%`), eb('failures', '>=', max)]))))
        .orderBy('window_started_at', 'desc')
        .limit(limit)
        .execute();
    },

    /** Returns whether there was a row to delete. */
    async delete(key: string): Promise<boolean> {
      const result = await db.deleteFrom('login_throttle').where('key', '=', key).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

export type LoginThrottleRepository = ReturnType<typeof createLoginThrottleRepository>;
