import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

describe.each(DIALECTS)('session API on %s', (dialect) => {
  let t: TestApp;
  // One portal for the file (a fresh PostgreSQL database costs more than most of these tests); each
  // test starts as on a fresh one: no session and no login attempt counted. Only these tables change
  // here (users are compared before and after where it matters); the tests that need other settings
  // start a portal of their own.
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.db.deleteFrom('sessions').execute();
    await t.db.deleteFrom('login_throttle').execute();
  });

  const countSessions = async () => (await t.db.selectFrom('sessions').selectAll().execute()).length;
  const usersSnapshot = () => t.db.selectFrom('users').selectAll().orderBy('id').execute();

  it('logs in with an HttpOnly SameSite=Lax cookie and stores only a hash of the session id', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'alice', password: TEST_PASSWORD } });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user).toEqual({ id: expect.any(String), username: 'alice', displayName: 'Alice Admin', isAdmin: true });
    expect(body.csrfToken).toMatch(/^[\w-]{40,}$/);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
    expect(response.body).not.toContain('scrypt');

    const cookie = response.cookies.find((c) => c.name === 'courier_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();
    const rows = await t.db.selectFrom('sessions').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash).toBe(createHash('sha256').update(cookie.value).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(cookie.value);
  });

  it('marks the cookie Secure when the portal is served over HTTPS', async () => {
    const secure = await createTestApp(dialect, { COURIER_PUBLIC_URL: 'https://courier.example.com' });
    try {
      const response = await secure.app.inject({
        method: 'POST',
        url: '/api/session',
        headers: { origin: 'https://courier.example.com' },
        payload: { username: 'alice', password: TEST_PASSWORD },
      });
      expect(response.cookies.find((c) => c.name === 'courier_session')?.secure).toBe(true);
    } finally {
      await secure.close();
    }
  });

  it('answers who am I for a live session and 401 UNAUTHENTICATED without one', async () => {
    const { cookie } = await t.login('bob');
    const me = await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('bob');

    const anonymous = await t.app.inject({ method: 'GET', url: '/api/session' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({ code: 'UNAUTHENTICATED', message: 'You are not logged in.' });
  });

  it('treats usernames case-insensitively', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: '  ALICE ', password: TEST_PASSWORD },
    });
    expect(response.statusCode).toBe(200);
  });

  it('gives the same answer for an unknown user and a wrong password, and creates no session', async () => {
    const before = await usersSnapshot();
    const wrong = await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'alice', password: 'nope-nope' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'mallory', password: 'nope-nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().code).toBe('INVALID_CREDENTIALS');
    expect(wrong.cookies).toHaveLength(0);
    expect(await countSessions()).toBe(0);
    expect(await usersSnapshot()).toEqual(before);
  });

  it.each([
    ['empty credentials', { username: '', password: '' }, 400, 'VALIDATION_FAILED'],
    ['a missing password', { username: 'alice' }, 400, 'VALIDATION_FAILED'],
    ['a non-string username', { username: 42, password: 'x' }, 400, 'VALIDATION_FAILED'],
    ['an over-long username', { username: 'a'.repeat(129), password: 'x' }, 400, 'VALIDATION_FAILED'],
  ])('refuses %s with a clear message', async (_what, payload, status, code) => {
    const before = await usersSnapshot();
    const response = await t.app.inject({ method: 'POST', url: '/api/session', payload });
    expect(response.statusCode).toBe(status);
    expect(response.json().code).toBe(code);
    expect(response.json().message.length).toBeGreaterThan(5);
    expect(await countSessions()).toBe(0);
    expect(await usersSnapshot()).toEqual(before);
  });

  it.each([
    ['malformed JSON', 'application/json', Buffer.from('{"username": "alice", '), 400, 'BAD_REQUEST', /not valid JSON/],
    [
      'a non-UTF-8 body',
      'application/json',
      Buffer.from([0x7b, 0x22, 0x75, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      400,
      'BAD_REQUEST',
      /UTF-8/,
    ],
    ['an empty body', 'application/json', Buffer.alloc(0), 400, 'BAD_REQUEST', /empty/],
    [
      'a form body',
      'application/x-www-form-urlencoded',
      Buffer.from('username=alice&password=x'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      /application\/json/,
    ],
    [
      'an over-long body',
      'application/json',
      Buffer.from(JSON.stringify({ username: 'alice', password: 'x'.repeat(5 * 1024 * 1024) })),
      413,
      'PAYLOAD_TOO_LARGE',
      /larger than/,
    ],
  ])('refuses %s', async (_what, contentType, payload, status, code, message) => {
    const response = await t.app.inject({ method: 'POST', url: '/api/session', headers: { 'content-type': contentType }, payload });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await countSessions()).toBe(0);
  });

  it('logs out only with the CSRF token, and the session is gone afterwards', async () => {
    const { cookie, csrfToken } = await t.login();
    const missing = await t.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().code).toBe('CSRF_FAILED');
    const forged = await t.app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie, 'x-csrf-token': `${csrfToken.slice(0, -2)}xx` },
    });
    expect(forged.statusCode).toBe(403);
    expect(await countSessions()).toBe(1);

    const ok = await t.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(ok.statusCode).toBe(204);
    expect(ok.cookies.find((c) => c.name === 'courier_session')?.value).toBe('');
    expect(await countSessions()).toBe(0);
    const after = await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it("does not accept one session's CSRF token for another", async () => {
    const alice = await t.login('alice');
    const bob = await t.login('bob');
    const response = await t.app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie: alice.cookie, 'x-csrf-token': bob.csrfToken },
    });
    expect(response.statusCode).toBe(403);
  });

  it.each([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['an opaque Origin', { origin: 'null' }],
  ])('refuses a login with %s (login CSRF)', async (_what, headers) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers,
      payload: { username: 'alice', password: TEST_PASSWORD },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('CSRF_FAILED');
    expect(await countSessions()).toBe(0);
  });

  it('accepts a same-origin login from the browser', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { origin: 'http://localhost:80', host: 'localhost:80', 'sec-fetch-site': 'same-origin' },
      payload: { username: 'alice', password: TEST_PASSWORD },
    });
    expect(response.statusCode).toBe(200);
  });

  it('refuses a tampered cookie as not logged in and clears it', async () => {
    const { cookie } = await t.login();
    const tampered = `${cookie.slice(0, -3)}abc`;
    const response = await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: tampered } });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('UNAUTHENTICATED');
    expect(response.cookies.find((c) => c.name === 'courier_session')?.value).toBe('');
    expect(await countSessions()).toBe(1);
  });

  it('ends a session idle longer than the idle timeout with SESSION_EXPIRED', async () => {
    const { cookie } = await t.login();
    const idleMs = t.config.sessionIdleTimeoutSeconds * 1000;
    await t.db
      .updateTable('sessions')
      .set({ last_seen_at: Date.now() - idleMs - 1000 })
      .execute();
    const response = await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ code: 'SESSION_EXPIRED', message: 'Your session expired. Please log in again.' });
    expect(await countSessions()).toBe(0);
  });

  it('sets the absolute expiry login promises: 12 hours by default, in the row, the answer and the cookie', async () => {
    const before = Date.now();
    const response = await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'alice', password: TEST_PASSWORD } });
    const after = Date.now();
    const absoluteMs = 12 * 3600 * 1000;
    expect(t.config.sessionAbsoluteTimeoutSeconds * 1000).toBe(absoluteMs);
    const [row] = await t.db.selectFrom('sessions').select(['created_at', 'expires_at']).execute();
    expect(row!.expires_at - row!.created_at).toBe(absoluteMs);
    expect(row!.created_at).toBeGreaterThanOrEqual(before);
    expect(row!.created_at).toBeLessThanOrEqual(after);
    expect(Date.parse(response.json().expiresAt)).toBe(row!.expires_at);
    expect(response.cookies.find((c) => c.name === 'courier_session')!.maxAge).toBe(absoluteMs / 1000);
  });

  it('ends a session past its absolute expiry even if it was just used', async () => {
    const { cookie } = await t.login();
    await t.db
      .updateTable('sessions')
      .set({ expires_at: Date.now() - 1 })
      .execute();
    const response = await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
    expect(response.json().code).toBe('SESSION_EXPIRED');
  });

  it('keeps an active session alive by use (sliding idle expiry)', async () => {
    const { cookie } = await t.login();
    const idleMs = t.config.sessionIdleTimeoutSeconds * 1000;
    await t.db
      .updateTable('sessions')
      .set({ last_seen_at: Date.now() - idleMs + 5000 })
      .execute();
    expect((await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode).toBe(200);
    const row = await t.db.selectFrom('sessions').selectAll().executeTakeFirstOrThrow();
    expect(Date.now() - row.last_seen_at).toBeLessThan(5000);
  });

  it('tells the SPA the idle timeout and, on every logged-in answer, how long the session has left', async () => {
    const idleMs = t.config.sessionIdleTimeoutSeconds * 1000;
    const login = await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'alice', password: TEST_PASSWORD } });
    expect(login.json().idleTimeoutSeconds).toBe(t.config.sessionIdleTimeoutSeconds);
    const fresh = Number(login.headers['x-courier-session-ends-in']);
    expect(fresh).toBeGreaterThan(idleMs - 5000);
    expect(fresh).toBeLessThanOrEqual(idleMs);
    const cookie = `courier_session=${login.cookies.find((c) => c.name === 'courier_session')!.value}`;

    // Unused for a while: the answer that uses it again counts from now.
    await t.db
      .updateTable('sessions')
      .set({ last_seen_at: Date.now() - idleMs / 2 })
      .execute();
    const used = await t.app.inject({ method: 'GET', url: '/api/spaces', headers: { cookie } });
    expect(used.statusCode).toBe(200);
    expect(Number(used.headers['x-courier-session-ends-in'])).toBeGreaterThan(idleMs - 5000);

    // Near its absolute end, that end is what it has left, however recently it was used.
    await t.db
      .updateTable('sessions')
      .set({ expires_at: Date.now() + 60_000 })
      .execute();
    const late = await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
    expect(Number(late.headers['x-courier-session-ends-in'])).toBeLessThanOrEqual(60_000);
    expect(Number(late.headers['x-courier-session-ends-in'])).toBeGreaterThan(55_000);

    const anonymous = await t.app.inject({ method: 'GET', url: '/api/session' });
    expect(anonymous.headers['x-courier-session-ends-in']).toBeUndefined();
  });

  it('keeps a session in use alive when the idle timeout is under a minute (last-seen written often enough)', async () => {
    const short = await createTestApp(dialect, { COURIER_SESSION_IDLE_TIMEOUT_SECONDS: '30' });
    try {
      const { cookie } = await short.login('bob');
      // Used 20 s ago, within the 30 s idle timeout: this use must count, or the session ends 10 s from now.
      await short.db
        .updateTable('sessions')
        .set({ last_seen_at: Date.now() - 20_000 })
        .execute();
      expect((await short.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode).toBe(200);
      const row = await short.db.selectFrom('sessions').selectAll().executeTakeFirstOrThrow();
      expect(Date.now() - row.last_seen_at).toBeLessThan(5000);
    } finally {
      await short.close();
    }
  });

  it('answers unknown API routes with a JSON NOT_FOUND', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/nope?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'NOT_FOUND', message: 'GET /api/nope was not found.' });
  });
});
