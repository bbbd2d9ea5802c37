/**
 * The profile: a person changes their display name and password and sees and ends their own
 * sessions; a password change ends every other session and keeps this one; nobody reaches another
 * person's sessions, and no session token or stored hash is ever answered.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type LoggedIn, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

describe.each(DIALECTS)('profile on %s', (dialect) => {
  let t: TestApp;
  const api: TestApp['api'] = (...args) => t.api(...args);
  const alive = async (who: LoggedIn) => (await api(who, 'GET', '/api/session')).status === 200;
  const loginFrom = async (userAgent: string) => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'user-agent': userAgent },
      payload: { username: 'bob', password: TEST_PASSWORD },
    });
    const cookie = r.cookies.find((c) => c.name === 'courier_session')!;
    return { cookie: `courier_session=${cookie.value}`, csrfToken: r.json<{ csrfToken: string }>().csrfToken, token: cookie.value };
  };

  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  it('changes the display name, which the session then answers, and audits it', async () => {
    const bob = await t.login('bob');
    const changed = await api(bob, 'PATCH', '/api/profile', { displayName: '  Robert  ' });
    expect(changed).toMatchObject({ status: 200, json: { username: 'bob', displayName: 'Robert' } });
    expect((await api(bob, 'GET', '/api/session')).json.user).toMatchObject({ displayName: 'Robert' });
    expect((await api(bob, 'PATCH', '/api/profile', { displayName: '   ' })).status).toBe(400);
    expect((await api(bob, 'PATCH', '/api/profile', { displayName: 'x'.repeat(201) })).status).toBe(400);
    const audited = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'profile-update').execute();
    expect(audited).toHaveLength(1);
  });

  it('sets, changes and removes my own email (where notices go), refusing a bad address and touching nobody else', async () => {
    const bob = await t.login('bob');
    expect((await api(bob, 'GET', '/api/profile')).json).toEqual({ displayName: 'Bob', email: null });
    expect((await api(bob, 'PATCH', '/api/profile', { email: 'bob@example.com' })).status).toBe(200);
    expect((await api(bob, 'GET', '/api/profile')).json).toEqual({ displayName: 'Bob', email: 'bob@example.com' });
    expect((await api(bob, 'PATCH', '/api/profile', { email: 'not an address' })).status).toBe(400);
    expect((await api(bob, 'PATCH', '/api/profile', {})).status).toBe(400);
    const alice = await t.db.selectFrom('users').select('email').where('username', '=', 'alice').executeTakeFirstOrThrow();
    expect(alice.email).toBeNull();
    expect((await api(bob, 'PATCH', '/api/profile', { email: '' })).status).toBe(200);
    expect((await api(bob, 'GET', '/api/profile')).json.email).toBeNull();
    const audited = await t.db.selectFrom('audit_log').select('target').where('action', '=', 'profile-update').execute();
    expect(audited.map((a) => a.target)).toEqual(['email', 'email']);
  });

  it('lists my sessions with their browser, this one marked, and never a token or stored hash', async () => {
    const laptop = await loginFrom('Laptop Firefox');
    const phone = await loginFrom('Phone Safari');
    await t.login('alice');
    const { status, json } = await api(laptop, 'GET', '/api/profile/sessions');
    expect(status).toBe(200);
    const sessions = json.sessions as Array<{ id: string; userAgent: string; current: boolean; ip: string }>;
    expect(sessions.map((s) => [s.userAgent, s.current]).sort()).toEqual([
      ['Laptop Firefox', true],
      ['Phone Safari', false],
    ]);
    expect(sessions[0]!.ip).toBe('127.0.0.1');
    const hashes = (await t.db.selectFrom('sessions').select('id_hash').execute()).map((s) => s.id_hash);
    const body = JSON.stringify(json);
    for (const secret of [laptop.token, phone.token, laptop.csrfToken, ...hashes]) expect(body).not.toContain(secret);
  });

  it('signs out one other session, refuses the current one and a session of someone else', async () => {
    const laptop = await loginFrom('Laptop');
    const phone = await loginFrom('Phone');
    const alice = await t.login('alice');
    const mine = (await api(laptop, 'GET', '/api/profile/sessions')).json.sessions as Array<{ id: string; current: boolean }>;
    const aliceSession = ((await api(alice, 'GET', '/api/profile/sessions')).json.sessions as Array<{ id: string }>)[0]!.id;

    expect((await api(laptop, 'DELETE', `/api/profile/sessions/${aliceSession}`)).status).toBe(404);
    expect(await alive(alice)).toBe(true);
    expect((await api(laptop, 'DELETE', `/api/profile/sessions/${mine.find((s) => s.current)!.id}`)).status).toBe(400);
    expect(await alive(laptop)).toBe(true);

    expect((await api(laptop, 'DELETE', `/api/profile/sessions/${mine.find((s) => !s.current)!.id}`)).status).toBe(204);
    expect(await alive(phone)).toBe(false);
    expect(await alive(laptop)).toBe(true);
  });

  it('signs out everywhere else, keeping this session and other people’s', async () => {
    const laptop = await loginFrom('Laptop');
    const phone = await loginFrom('Phone');
    const tablet = await loginFrom('Tablet');
    const alice = await t.login('alice');
    expect(await api(laptop, 'DELETE', '/api/profile/sessions')).toEqual({ status: 200, json: { ended: 2 } });
    expect([await alive(laptop), await alive(phone), await alive(tablet), await alive(alice)]).toEqual([true, false, false, true]);
  });

  it('changes the password with the current one: other sessions end, this one stays, the new password logs in', async () => {
    const laptop = await loginFrom('Laptop');
    const phone = await loginFrom('Phone');
    const wrong = await api(laptop, 'POST', '/api/profile/password', { currentPassword: 'not it', newPassword: 'a brand new secret' });
    expect(wrong).toMatchObject({ status: 400, json: { code: 'WRONG_PASSWORD' } });
    expect(await alive(phone)).toBe(true);
    expect((await api(laptop, 'POST', '/api/profile/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' })).status).toBe(400);

    const changed = await api(laptop, 'POST', '/api/profile/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'a brand new secret',
    });
    expect(changed).toEqual({ status: 200, json: { ended: 1 } });
    expect(await alive(laptop)).toBe(true);
    expect(await alive(phone)).toBe(false);
    await expect(t.login('bob')).rejects.toThrow(/401/);
    expect(await alive(await t.login('bob', 'a brand new secret'))).toBe(true);

    const audited = await t.db.selectFrom('audit_log').select(['decision']).where('action', '=', 'password-change').orderBy('at').execute();
    expect(audited.map((a) => a.decision)).toEqual(['deny', 'allow']);
  });

  it('counts wrong current passwords as password guesses: the login limits stop them, the right one too once locked', async () => {
    const stolen = await loginFrom('Stolen laptop');
    const codes: string[] = [];
    for (let guess = 0; guess < 6; guess += 1) {
      const r = await api(stolen, 'POST', '/api/profile/password', {
        currentPassword: `guess ${guess}`,
        newPassword: 'a brand new secret',
      });
      codes.push(r.json.code as string);
    }
    // Locked within the per-account-and-address limit (five), sooner when the login delay steps in.
    expect(codes[0]).toBe('WRONG_PASSWORD');
    expect(codes.at(-1)).toBe('TOO_MANY_ATTEMPTS');
    const right = await api(stolen, 'POST', '/api/profile/password', { currentPassword: TEST_PASSWORD, newPassword: 'a brand new secret' });
    expect(right).toMatchObject({ status: 429, json: { code: 'TOO_MANY_ATTEMPTS' } });
    // The same counters as logins: a login from here is held back too.
    await expect(t.login('bob')).rejects.toThrow(/429/);
  });

  it('refuses every profile route without a session', async () => {
    for (const [method, url, payload] of [
      ['PATCH', '/api/profile', { displayName: 'Mallory' }],
      ['POST', '/api/profile/password', { currentPassword: 'x', newPassword: 'long enough' }],
      ['GET', '/api/profile/sessions', undefined],
      ['DELETE', '/api/profile/sessions', undefined],
      ['DELETE', '/api/profile/sessions/abc', undefined],
    ] as const) {
      const r = await t.app.inject({ method, url, ...(payload ? { payload } : {}) });
      expect(r.statusCode, `${method} ${url}`).toBe(401);
    }
  });
});
