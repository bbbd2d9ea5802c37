import type { Db } from '../../db/database';

export interface ThrottleLimits {
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  windowSeconds: number;
}

/**
 * Counts failed logins per account and per IP in fixed windows, in the database so that every
 * portal instance sees the same counts. A key over its limit is refused until its window ends.
 */
export function createLoginThrottle(db: Db, limits: ThrottleLimits) {
  const windowMs = limits.windowSeconds * 1000;
  const keys = (account: string, ip: string) => [
    { key: `account:${account}`, max: limits.maxFailuresPerAccount },
    { key: `ip:${ip}`, max: limits.maxFailuresPerIp },
  ];

  return {
    /** Seconds until a login for this account from this IP may be tried, or 0 if it may now. */
    async retryAfterSeconds(account: string, ip: string, now = Date.now()): Promise<number> {
      let wait = 0;
      for (const { key, max } of keys(account, ip)) {
        const row = await db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
        if (row && row.failures >= max && now - row.window_started_at < windowMs) {
          wait = Math.max(wait, Math.ceil((row.window_started_at + windowMs - now) / 1000));
        }
      }
      return wait;
    },

    async recordFailure(account: string, ip: string, now = Date.now()): Promise<void> {
      for (const { key } of keys(account, ip)) {
        await db.transaction().execute(async (tx) => {
          const row = await tx.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
          if (!row) {
            await tx.insertInto('login_throttle').values({ key, failures: 1, window_started_at: now })
              .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ failures: eb('login_throttle.failures', '+', 1) })))
              .execute();
          } else if (now - row.window_started_at >= windowMs) {
            await tx.updateTable('login_throttle').set({ failures: 1, window_started_at: now }).where('key', '=', key).execute();
          } else {
            await tx.updateTable('login_throttle').set((eb) => ({ failures: eb('failures', '+', 1) })).where('key', '=', key).execute();
          }
        });
      }
    },

    /** A successful login clears the account's count (not the IP's: one good password must not unlock guessing others). */
    async recordSuccess(account: string): Promise<void> {
      await db.deleteFrom('login_throttle').where('key', '=', `account:${account}`).execute();
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
