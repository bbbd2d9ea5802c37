import { afterEach, describe, expect, it } from 'vitest';
import { countStatuses, createListeningApp, type ListeningApp } from '../../test/listening-app';
import { DIALECTS } from '../../test/test-database';

const ATTACKER = '203.0.113.7';
const OWNER = '198.51.100.1';

describe.each(DIALECTS)('login limits under concurrency on %s (real listener)', (dialect) => {
  let t: ListeningApp | undefined;
  // Delay off unless a test is about it, so the counts alone decide; limits are the defaults otherwise.
  const start = async (env: Record<string, string> = {}) =>
    (t = await createListeningApp(dialect, { COURIER_LOGIN_DELAY_STEP_SECONDS: '0', ...env }));
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const burst = (n: number, attempt: (i: number) => Promise<Response>) => Promise.all(Array.from({ length: n }, (_, i) => attempt(i)));

  it('30 concurrent wrong guesses for one account from one address: 5 are checked, 25 get 429 with Retry-After', async () => {
    const app = await start();
    const responses = await burst(30, () => app.loginFrom(ATTACKER, 'alice', 'wrong-password'));
    expect(countStatuses(responses)).toEqual({ 401: 5, 429: 25 });
    for (const r of responses.filter((r) => r.status === 429)) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(800);
      expect((await r.json()) as object).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    }
    // The right password from the attacker's address is refused too: the lock is not a password oracle.
    expect((await app.loginFrom(ATTACKER, 'alice')).status).toBe(429);
    // The owner, from their own address, is not locked out (the lock is not a denial-of-service lever).
    expect((await app.loginFrom(OWNER, 'alice')).status).toBe(200);
  });

  it('40 concurrent guesses from one address for 40 names: 20 are checked, 20 get 429', async () => {
    const app = await start();
    const responses = await burst(40, (i) => app.loginFrom(ATTACKER, `user${i}`, 'Summer2024!'));
    expect(countStatuses(responses)).toEqual({ 401: 20, 429: 20 });
    expect((await app.loginFrom(ATTACKER, 'bob')).status).toBe(429);
    expect((await app.loginFrom(OWNER, 'bob')).status).toBe(200);
  });

  it('caps guesses at one account spread over many addresses (overall per-account limit)', async () => {
    const app = await start({ COURIER_LOGIN_MAX_FAILURES_PER_ACCOUNT: '10' });
    const responses = await burst(30, (i) => app.loginFrom(`192.0.2.${i + 1}`, 'alice', 'wrong-password'));
    expect(countStatuses(responses)).toEqual({ 401: 10, 429: 20 });
    expect((await app.loginFrom(OWNER, 'alice')).status).toBe(429);
  });

  it('counts an unknown username like a real one (locking reveals nobody)', async () => {
    const app = await start();
    const ghost = await burst(8, () => app.loginFrom(ATTACKER, 'ghost', 'x'));
    const real = await burst(8, () => app.loginFrom(ATTACKER, 'bob', 'x'));
    expect(countStatuses(ghost)).toEqual(countStatuses(real));
  });

  it('slows repeated failures from one address progressively before the lock', async () => {
    const app = await start({ COURIER_LOGIN_DELAY_STEP_SECONDS: '2' });
    expect((await app.loginFrom(ATTACKER, 'bob', 'x')).status).toBe(401);
    expect((await app.loginFrom(ATTACKER, 'bob', 'x')).status).toBe(401);
    const waited = await app.loginFrom(ATTACKER, 'bob', 'x');
    expect(waited.status).toBe(429);
    expect(waited.headers.get('retry-after')).toBe('2');
    // Once the wait has passed (moved back here rather than slept through), the next failure waits longer.
    await app.db.updateTable('login_throttle').set({ not_before: 0 }).execute();
    expect((await app.loginFrom(ATTACKER, 'bob', 'x')).status).toBe(401);
    expect((await app.loginFrom(ATTACKER, 'bob', 'x')).headers.get('retry-after')).toBe('4');
    // Other addresses, and the right password elsewhere, are unaffected.
    expect((await app.loginFrom(OWNER, 'bob')).status).toBe(200);
  });

  it("a success clears its own address's count, and old failures are forgotten after the window", async () => {
    const app = await start({ COURIER_LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: '3' });
    for (let round = 0; round < 2; round++) {
      expect(countStatuses(await burst(2, () => app.loginFrom(OWNER, 'alice', 'typo')))).toEqual({ 401: 2 });
      expect((await app.loginFrom(OWNER, 'alice')).status).toBe(200);
    }
    expect(countStatuses(await burst(4, () => app.loginFrom(ATTACKER, 'bob', 'x')))).toEqual({ 401: 3, 429: 1 });
    expect((await app.loginFrom(ATTACKER, 'bob')).status).toBe(429);
    await app.db
      .updateTable('login_throttle')
      .set({ window_started_at: Date.now() - 901_000 })
      .execute();
    expect((await app.loginFrom(ATTACKER, 'bob')).status).toBe(200);
  });

  it('audits each lock once and lets an admin list and lift it', async () => {
    const app = await start({ COURIER_LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: '3' });
    await burst(10, () => app.loginFrom(ATTACKER, 'bob', 'x'));
    const admin = await app.login('alice');
    const headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, origin: app.base };

    const locks = (await (await fetch(`${app.base}/api/admin/login-locks`, { headers })).json()) as {
      locks: Array<Record<string, unknown>>;
    };
    expect(locks.locks).toEqual([
      expect.objectContaining({ key: `account-ip:bob|${ATTACKER}`, kind: 'account-ip', account: 'bob', ip: ATTACKER, failures: 3 }),
    ]);
    const audit = await app.db.selectFrom('audit_log').selectAll().where('action', '=', 'login-lock').execute();
    expect(audit).toEqual([
      expect.objectContaining({
        target: `account-ip:bob|${ATTACKER}`,
        decision: 'deny',
        reason: expect.stringMatching(/^3 failed logins within 900 s; locked until /),
      }),
    ]);

    const lifted = await fetch(`${app.base}/api/admin/login-locks?key=${encodeURIComponent(`account-ip:bob|${ATTACKER}`)}`, {
      method: 'DELETE',
      headers,
    });
    expect(lifted.status).toBe(204);
    expect((await app.loginFrom(ATTACKER, 'bob')).status).toBe(200);
    expect(await app.db.selectFrom('audit_log').select('user_id').where('action', '=', 'login-unlock').execute()).toHaveLength(1);
    const again = await fetch(`${app.base}/api/admin/login-locks?key=${encodeURIComponent(`account-ip:bob|${ATTACKER}`)}`, {
      method: 'DELETE',
      headers,
    });
    expect(again.status).toBe(404);
  });

  it('bounds concurrent password hashing: 40 logins at once never hash more than 2 at a time, overflow gets 503 at once', async () => {
    const app = await start({ COURIER_LOGIN_HASH_QUEUE: '8' });
    let healthAnsweredAt = 0;
    let lastLoginAt = 0;
    const logins = burst(40, (i) => app.loginFrom(`192.0.2.${i + 1}`, `user${i}`, 'x').then((r) => ((lastLoginAt = Date.now()), r)));
    const health = fetch(`${app.base}/api/health`).then((r) => ((healthAnsweredAt = Date.now()), r));
    const [responses] = await Promise.all([logins, health]);
    const counts = countStatuses(responses);
    expect((counts[401] ?? 0) + (counts[503] ?? 0)).toBe(40);
    expect(counts[503]).toBeGreaterThan(0);
    const busy = responses.find((r) => r.status === 503)!;
    expect(busy.headers.get('retry-after')).toBe('2');
    expect(((await busy.json()) as { code: string }).code).toBe('SERVER_BUSY');
    expect(app.app.courier.loginHashing.stats()).toMatchObject({ peakRunning: 2, running: 0, queued: 0 });
    expect(healthAnsweredAt).toBeLessThanOrEqual(lastLoginAt);
    // A refused login gave its attempts back: the same addresses may try again.
    expect((await app.loginFrom('192.0.2.1', 'alice')).status).toBe(200);
  });
});
