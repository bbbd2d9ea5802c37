import type { LoginLock } from '../../../contract/admin';
import type { AuditLog } from '../audit/audit-log';
import type { LoginThrottleRepository, ThrottleRow } from './login-throttle-repository';

export interface ThrottleLimits {
  maxFailuresPerAccountAndIp: number;
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  windowSeconds: number;
  delayStepSeconds: number;
}

type Kind = LoginLock['kind'];
interface Key {
  kind: Kind;
  key: string;
  max: number;
  delayStepMs: number;
}
interface Held {
  key: Key;
  row: ThrottleRow;
}

export type Reservation = {
  /** The password was right: the source's count is cleared, the shared counts get their attempt back. */
  succeeded(): Promise<void>;
  /** The password was wrong: the attempts stay counted; a key that reached its limit is audited as locked. */
  failed(): Promise<void>;
  /** Nothing was checked after all (e.g. the server was too busy): every attempt is given back. */
  cancel(): Promise<void>;
};

/**
 * Login limits, three at once: per account and source address (locks one attacker out of one
 * account without locking the account's owner out elsewhere, with a progressive delay before the
 * lock), per address (one source spraying many accounts), and per account overall (guessing spread
 * over many addresses; larger, so it takes a botnet to lock a user out). An attempt is reserved in
 * every counter before the password is checked, so concurrent guesses cannot all pass a check made
 * before any of them is recorded.
 */
export function createLoginThrottle(repository: LoginThrottleRepository, limits: ThrottleLimits, audit: AuditLog) {
  const windowMs = limits.windowSeconds * 1000;
  const maxOf: Record<Kind, number> = {
    'account-ip': limits.maxFailuresPerAccountAndIp,
    ip: limits.maxFailuresPerIp,
    account: limits.maxFailuresPerAccount,
  };
  // Most specific first: a locked (account, address) pair is refused without spending the shared budgets.
  const keysOf = (account: string, ip: string): Key[] => [
    { kind: 'account-ip', key: `account-ip:${account}|${ip}`, max: maxOf['account-ip'], delayStepMs: limits.delayStepSeconds * 1000 },
    { kind: 'ip', key: `ip:${ip}`, max: maxOf.ip, delayStepMs: 0 },
    { kind: 'account', key: `account:${account}`, max: maxOf.account, delayStepMs: 0 },
  ];

  const releaseAll = (held: Held[]) => Promise.all(held.map(({ key, row }) => repository.release(key.key, row.window_started_at)));

  async function retryAfterSeconds(key: Key, now: number): Promise<number> {
    const row = await repository.find(key.key);
    if (!row) return 1;
    const until = row.failures >= key.max ? row.window_started_at + windowMs : row.not_before;
    return Math.max(1, Math.ceil((until - now) / 1000));
  }

  return {
    /** Reserves an attempt for this account from this address, or says how many seconds to wait. */
    async reserve(account: string, ip: string, now = Date.now()): Promise<{ reservation: Reservation } | { retryAfterSeconds: number }> {
      const held: Held[] = [];
      for (const key of keysOf(account, ip)) {
        const row = await repository.reserve(key.key, key.max, windowMs, key.delayStepMs, now);
        if (!row) {
          await releaseAll(held);
          return { retryAfterSeconds: await retryAfterSeconds(key, now) };
        }
        held.push({ key, row });
      }
      return {
        reservation: {
          async succeeded() {
            const [source, ...shared] = held;
            if (source) await repository.delete(source.key.key);
            await releaseAll(shared);
          },
          async failed() {
            for (const { key, row } of held) {
              if (row.failures !== key.max) continue;
              const until = new Date(row.window_started_at + windowMs).toISOString();
              await audit.record({
                userId: null,
                action: 'login-lock',
                target: key.key,
                decision: 'deny',
                reason: `${key.max} failed logins within ${limits.windowSeconds} s; locked until ${until}`,
              });
            }
          },
          cancel: () => releaseAll(held).then(() => undefined),
        },
      };
    },

    /** Keys locked now, for the admin API. */
    async listLocks(now = Date.now()): Promise<LoginLock[]> {
      const rows = await repository.listAtLimit(
        Object.entries(maxOf).map(([kind, max]) => ({ prefix: `${kind}:`, max })),
        windowMs,
        now,
      );
      return rows.map((row) => describeLock(row, windowMs));
    },

    /** Ends a lock (and the key's count) now; false if there was none. */
    unlock: (key: string) => repository.delete(key),
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

function describeLock(row: ThrottleRow, windowMs: number): LoginLock {
  const kind = row.key.slice(0, row.key.indexOf(':')) as Kind;
  const rest = row.key.slice(kind.length + 1);
  // Addresses never contain "|"; usernames may, so split at the last one.
  const bar = rest.lastIndexOf('|');
  const [account, ip] = kind === 'account' ? [rest, null] : kind === 'ip' ? [null, rest] : [rest.slice(0, bar), rest.slice(bar + 1)];
  return { key: row.key, kind, account, ip, failures: row.failures, lockedUntil: new Date(row.window_started_at + windowMs).toISOString() };
}
