import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServiceFixture, type ServiceFixture } from '../../test/service-fixture';
import { DIALECTS } from '../../test/test-database';
import { createLoginThrottle, type ThrottleLimits } from './login-throttle';
import { createLoginThrottleRepository, type LoginThrottleRepository } from './login-throttle-repository';

// The login limits called directly over a real database with a given clock (docs/reliability.md,
// "Mutation testing"): what is counted, what is given back, when a key locks and for how long.
const T0 = 1_800_000_000_000;
const LIMITS: ThrottleLimits = {
  maxFailuresPerAccountAndIp: 3,
  maxFailuresPerIp: 4,
  maxFailuresPerAccount: 5,
  windowSeconds: 600,
  delayStepSeconds: 0,
};

describe.each(DIALECTS)('login throttle on %s', (dialect) => {
  let f: ServiceFixture;
  let repo: LoginThrottleRepository;
  beforeEach(async () => {
    f = await createServiceFixture(dialect);
    repo = createLoginThrottleRepository(f.db);
  });
  afterEach(() => f.close());

  const throttle = (limits: Partial<ThrottleLimits> = {}) => createLoginThrottle(repo, { ...LIMITS, ...limits }, f.audit);
  const failures = async (key: string) => (await repo.find(key))?.failures;

  async function fail(t: ReturnType<typeof throttle>, account: string, ip: string, now: number) {
    const reserved = await t.reserve(account, ip, now);
    if (!('reservation' in reserved)) throw new Error(`refused: retry after ${reserved.retryAfterSeconds}`);
    await reserved.reservation.failed();
  }

  it('counts an attempt in all three keys before the password is checked', async () => {
    const reserved = await throttle().reserve('bob', '192.0.2.1', T0);
    expect('reservation' in reserved).toBe(true);
    expect(await failures('account-ip:bob|192.0.2.1')).toBe(1);
    expect(await failures('ip:192.0.2.1')).toBe(1);
    expect(await failures('account:bob')).toBe(1);
  });

  it('locks an account from one address after its limit, until the window ends, and audits the lock once', async () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) await fail(t, 'bob', '192.0.2.1', T0 + i);
    const refused = await t.reserve('bob', '192.0.2.1', T0 + 10_000);
    expect(refused).toEqual({ retryAfterSeconds: 590 });
    // The lock is per pair: the same account from elsewhere still has attempts.
    expect('reservation' in (await t.reserve('bob', '198.51.100.2', T0 + 10_000))).toBe(true);
    // A refused pair did not spend the shared budgets.
    expect(await failures('ip:192.0.2.1')).toBe(3);
    expect(await failures('account:bob')).toBe(4);
    const locks = (await f.auditEntries()).filter((e) => e.action === 'login-lock');
    expect(locks).toEqual([
      expect.objectContaining({
        user_id: null,
        target: 'account-ip:bob|192.0.2.1',
        decision: 'deny',
        reason: `3 failed logins within 600 s; locked until ${new Date(T0 + 600_000).toISOString()}`,
      }),
    ]);
  });

  it('starts a new window once the old one has ended', async () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) await fail(t, 'bob', '192.0.2.1', T0);
    expect(await t.reserve('bob', '192.0.2.1', T0 + 599_999)).toEqual({ retryAfterSeconds: 1 });
    expect('reservation' in (await t.reserve('bob', '192.0.2.1', T0 + 600_000))).toBe(true);
    expect(await repo.find('account-ip:bob|192.0.2.1')).toMatchObject({ failures: 1, window_started_at: T0 + 600_000 });
  });

  it('locks one address spraying many accounts, and one account guessed from many addresses', async () => {
    const t = throttle();
    for (let i = 0; i < 4; i++) await fail(t, `user${i}`, '192.0.2.1', T0);
    expect(await t.reserve('carol', '192.0.2.1', T0 + 1000)).toEqual({ retryAfterSeconds: 599 });
    // The refusal at the address gave back what the pair had taken.
    expect(await failures('account-ip:carol|192.0.2.1')).toBe(0);
    for (let i = 0; i < 5; i++) await fail(t, 'dave', `198.51.100.${i}`, T0);
    expect(await t.reserve('dave', '203.0.113.1', T0 + 2000)).toEqual({ retryAfterSeconds: 598 });
    expect(await failures('account-ip:dave|203.0.113.1')).toBe(0);
    expect(await failures('ip:203.0.113.1')).toBe(0);
    const targets = (await f.auditEntries()).filter((e) => e.action === 'login-lock').map((e) => e.target);
    expect(targets.sort()).toEqual(['account:dave', 'ip:192.0.2.1']);
  });

  it('a right password clears the pair and gives the shared budgets their attempt back', async () => {
    const t = throttle();
    await fail(t, 'bob', '192.0.2.1', T0);
    const reserved = await t.reserve('bob', '192.0.2.1', T0 + 1);
    if (!('reservation' in reserved)) throw new Error('refused');
    await reserved.reservation.succeeded();
    expect(await repo.find('account-ip:bob|192.0.2.1')).toBeUndefined();
    expect(await failures('ip:192.0.2.1')).toBe(1);
    expect(await failures('account:bob')).toBe(1);
    expect(await f.auditEntries()).toEqual([]);
  });

  it('a cancelled attempt gives every count back', async () => {
    const t = throttle();
    await fail(t, 'bob', '192.0.2.1', T0);
    const reserved = await t.reserve('bob', '192.0.2.1', T0 + 1);
    if (!('reservation' in reserved)) throw new Error('refused');
    await reserved.reservation.cancel();
    expect(await failures('account-ip:bob|192.0.2.1')).toBe(1);
    expect(await failures('ip:192.0.2.1')).toBe(1);
    expect(await failures('account:bob')).toBe(1);
  });

  it('makes each further attempt from a pair wait one more delay step', async () => {
    const t = throttle({ delayStepSeconds: 30, maxFailuresPerAccountAndIp: 10, maxFailuresPerIp: 10, maxFailuresPerAccount: 10 });
    await fail(t, 'bob', '192.0.2.1', T0);
    await fail(t, 'bob', '192.0.2.1', T0 + 1);
    expect(await t.reserve('bob', '192.0.2.1', T0 + 1000)).toEqual({ retryAfterSeconds: 30 });
    await fail(t, 'bob', '192.0.2.1', T0 + 30_001);
    expect(await t.reserve('bob', '192.0.2.1', T0 + 60_000)).toEqual({ retryAfterSeconds: 31 });
    expect('reservation' in (await t.reserve('bob', '192.0.2.1', T0 + 90_001))).toBe(true);
    // Only the pair is delayed: the address and the account answer at once for others.
    expect('reservation' in (await t.reserve('carol', '192.0.2.1', T0 + 90_002))).toBe(true);
  });

  it('lists current locks with their kind, account and address, and unlocks one', async () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) await fail(t, 'we|ird', '192.0.2.1', T0);
    await fail(t, 'x', '192.0.2.1', T0);
    for (let i = 0; i < 5; i++) await fail(t, 'dave', `198.51.100.${i}`, T0 + 1);
    const locks = await t.listLocks(T0 + 2);
    const until = (start: number) => new Date(start + 600_000).toISOString();
    expect(locks).toEqual(
      expect.arrayContaining([
        { key: 'account-ip:we|ird|192.0.2.1', kind: 'account-ip', account: 'we|ird', ip: '192.0.2.1', failures: 3, lockedUntil: until(T0) },
        { key: 'ip:192.0.2.1', kind: 'ip', account: null, ip: '192.0.2.1', failures: 4, lockedUntil: until(T0) },
        { key: 'account:dave', kind: 'account', account: 'dave', ip: null, failures: 5, lockedUntil: until(T0 + 1) },
      ]),
    );
    expect(locks).toHaveLength(3);
    expect(await t.listLocks(T0 + 600_001)).toEqual([]);
    expect(await t.unlock('ip:192.0.2.1')).toBe(true);
    expect(await t.unlock('ip:192.0.2.1')).toBe(false);
    expect('reservation' in (await t.reserve('y', '192.0.2.1', T0 + 3))).toBe(true);
  });

  describe('repository', () => {
    it('gives an attempt back only in the window it was taken in, never below zero', async () => {
      await repo.reserve('k', 5, 1000, 0, T0);
      await repo.release('k', T0 - 1);
      expect(await failures('k')).toBe(1);
      await repo.release('k', T0);
      await repo.release('k', T0);
      expect(await failures('k')).toBe(0);
    });

    it('refuses at the limit and after the delay only, and lists keys at their limit newest first', async () => {
      expect(await repo.reserve('a:1', 2, 1000, 0, T0)).toMatchObject({ failures: 1, window_started_at: T0, not_before: 0 });
      expect(await repo.reserve('a:1', 2, 1000, 0, T0 + 1)).toMatchObject({ failures: 2 });
      expect(await repo.reserve('a:1', 2, 1000, 0, T0 + 2)).toBeUndefined();
      expect(await repo.reserve('a:1', 2, 1000, 0, T0 + 1000)).toMatchObject({ failures: 1, window_started_at: T0 + 1000 });
      expect(await repo.reserve('d:1', 9, 1000, 100, T0)).toMatchObject({ not_before: 0 });
      expect(await repo.reserve('d:1', 9, 1000, 100, T0)).toMatchObject({ failures: 2, not_before: T0 + 100 });
      expect(await repo.reserve('d:1', 9, 1000, 100, T0 + 99)).toBeUndefined();
      expect(await repo.reserve('d:1', 9, 1000, 100, T0 + 100)).toMatchObject({ failures: 3, not_before: T0 + 300 });
      await repo.reserve('b:1', 1, 1000, 0, T0 + 5);
      await repo.reserve('b:2', 1, 1000, 0, T0 + 6);
      await repo.reserve('c:1', 1, 1000, 0, T0 + 7);
      const listed = await repo.listAtLimit([{ prefix: 'b:', max: 1 }], 1000, T0 + 10);
      expect(listed.map((r) => r.key)).toEqual(['b:2', 'b:1']);
      expect((await repo.listAtLimit([{ prefix: 'b:', max: 1 }], 1000, T0 + 10, 1)).map((r) => r.key)).toEqual(['b:2']);
      expect(await repo.listAtLimit([{ prefix: 'b:', max: 1 }], 1000, T0 + 1006)).toEqual([]);
      expect(await repo.delete('b:1')).toBe(true);
      expect(await repo.delete('b:1')).toBe(false);
    });
  });
});
