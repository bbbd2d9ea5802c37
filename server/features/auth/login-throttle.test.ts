import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

describe.each(DIALECTS)('login rate limits on %s', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect, {
      COURIER_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
      COURIER_LOGIN_MAX_FAILURES_PER_IP: '5',
      COURIER_LOGIN_WINDOW_SECONDS: '600',
    });
  });
  afterEach(async () => {
    await t.close();
  });

  const attempt = (username: string, password: string, ip = '203.0.113.7') =>
    t.app.inject({ method: 'POST', url: '/api/session', remoteAddress: ip, payload: { username, password } });

  it('locks an account after too many failures, even for the right password, with a retry time', async () => {
    for (let i = 0; i < 3; i++) expect((await attempt('alice', 'wrong-password')).statusCode).toBe(401);
    const locked = await attempt('alice', TEST_PASSWORD, '198.51.100.1');
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', retryAfterSeconds: expect.any(Number) });
    expect(locked.json().retryAfterSeconds).toBeGreaterThan(500);
    expect(locked.json().retryAfterSeconds).toBeLessThanOrEqual(600);
    expect(locked.json().message).toMatch(/Try again in 10 minutes/);
    expect(locked.headers['retry-after']).toBe(String(locked.json().retryAfterSeconds));
    // The lock is per account: bob is unaffected.
    expect((await attempt('bob', TEST_PASSWORD, '198.51.100.1')).statusCode).toBe(200);
  });

  it('counts unknown usernames per account too (locking does not reveal who exists)', async () => {
    for (let i = 0; i < 3; i++) await attempt('ghost', 'x', `192.0.2.${i}`);
    const response = await attempt('ghost', 'x', '192.0.2.99');
    expect(response.statusCode).toBe(429);
  });

  it('limits one IP guessing across many accounts', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt(`user${i}`, 'x')).statusCode).toBe(401);
    const blocked = await attempt('bob', TEST_PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect((await attempt('bob', TEST_PASSWORD, '198.51.100.2')).statusCode).toBe(200);
  });

  it('forgets old failures once the window has passed, and a success clears the account count', async () => {
    for (let i = 0; i < 2; i++) await attempt('alice', 'wrong-password');
    expect((await attempt('alice', TEST_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) await attempt('alice', 'wrong-password');
    expect((await attempt('alice', TEST_PASSWORD)).statusCode).toBe(200);

    for (let i = 0; i < 3; i++) await attempt('bob', 'wrong-password', '198.51.100.3');
    expect((await attempt('bob', TEST_PASSWORD, '198.51.100.4')).statusCode).toBe(429);
    await t.db.updateTable('login_throttle').set({ window_started_at: Date.now() - 601_000 }).execute();
    expect((await attempt('bob', TEST_PASSWORD, '198.51.100.4')).statusCode).toBe(200);
  });
});
