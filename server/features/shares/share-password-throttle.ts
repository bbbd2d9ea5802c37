import type { LoginThrottleRepository } from '../auth/login-throttle-repository';

export interface SharePasswordLimits {
  maxFailuresPerLinkAndIp: number;
  maxFailuresPerLink: number;
  maxFailuresPerIp: number;
  windowSeconds: number;
  delayStepSeconds: number;
}

/**
 * A share link's password attempts, limited as logins are (the same counters table, its own keys,
 * docs/sharing.md §4): per link and source address with the progressive delay, per source address
 * across links (one source trying many links), and per link across addresses (guessing spread over
 * many). An attempt is reserved before the password is checked, so concurrent guesses cannot all
 * pass one check. The keys' prefixes keep these counters out of the admin's login-lock list.
 */
export function createSharePasswordThrottle(repository: LoginThrottleRepository, limits: SharePasswordLimits) {
  const windowMs = limits.windowSeconds * 1000;
  const keysOf = (shareId: string, ip: string) => [
    { key: `share-link-ip:${shareId}|${ip}`, max: limits.maxFailuresPerLinkAndIp, delayStepMs: limits.delayStepSeconds * 1000 },
    { key: `share-ip:${ip}`, max: limits.maxFailuresPerIp, delayStepMs: 0 },
    { key: `share-link:${shareId}`, max: limits.maxFailuresPerLink, delayStepMs: 0 },
  ];

  return {
    /** Reserves an attempt, or says how many seconds to wait. */
    async reserve(
      shareId: string,
      ip: string,
      now = Date.now(),
    ): Promise<{ succeeded(): Promise<void>; failed(): Promise<void>; cancel(): Promise<void> } | { retryAfterSeconds: number }> {
      const held: Array<{ key: string; windowStartedAt: number }> = [];
      const releaseAll = () => Promise.all(held.map((h) => repository.release(h.key, h.windowStartedAt)));
      for (const key of keysOf(shareId, ip)) {
        const row = await repository.reserve(key.key, key.max, windowMs, key.delayStepMs, now);
        if (!row) {
          await releaseAll();
          const seen = await repository.find(key.key);
          const until = !seen ? now : seen.failures >= key.max ? seen.window_started_at + windowMs : seen.not_before;
          return { retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
        }
        held.push({ key: key.key, windowStartedAt: row.window_started_at });
      }
      return {
        async succeeded() {
          const [source, ...shared] = held;
          if (source) await repository.delete(source.key);
          await Promise.all(shared.map((h) => repository.release(h.key, h.windowStartedAt)));
        },
        async failed() {
          // The attempts stay counted.
        },
        /** Nothing was checked after all (the server was too busy): every attempt is given back. */
        cancel: () => releaseAll().then(() => undefined),
      };
    },
  };
}

export type SharePasswordThrottle = ReturnType<typeof createSharePasswordThrottle>;
