import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN_PREFIX } from '../../../contract/api-tokens';
import { createTestApp, createToken, TEST_PASSWORD, type ByToken, type LoggedIn, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

// Personal API tokens end to end through the portal (docs/api-tokens.md): created shown once and
// stored hashed, refused once revoked or expired or when their user is gone, no cookie and no CSRF.
describe.each(DIALECTS)('personal API tokens on %s', (dialect) => {
  let t: TestApp;
  let alice: LoggedIn;
  let bob: LoggedIn;
  const bearer = (token: ByToken, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token.bearer}`, ...extra });
  const auditOf = async (action: string) =>
    t.db.selectFrom('audit_log').select(['action', 'target', 'decision', 'reason']).where('action', '=', action).execute();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    alice = await t.login('alice');
    bob = await t.login('bob');
  });
  afterAll(() => t?.close());

  it('shows the secret once, lists the token without it, and keeps only its SHA-256', async () => {
    const created = await t.api(bob, 'POST', '/api/profile/tokens', {
      name: '  Nightly backup ',
      scopes: ['transfer', 'read'],
      expiresInDays: 30,
    });
    expect(created.status).toBe(201);
    const secret = created.json.secret as string;
    expect(secret).toMatch(new RegExp(`^${API_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`));
    const token = created.json.token as {
      id: string;
      name: string;
      scopes: string[];
      createdAt: string;
      expiresAt: string;
      lastUsedAt: null;
    };
    expect(token).toMatchObject({ name: 'Nightly backup', scopes: ['read', 'transfer'], lastUsedAt: null });
    expect(Date.parse(token.expiresAt) - Date.parse(token.createdAt)).toBe(30 * 86_400_000);

    const listed = await t.api(bob, 'GET', '/api/profile/tokens');
    expect(listed.json.tokens).toContainEqual(token);
    expect(JSON.stringify(listed.json)).not.toContain(secret.slice(API_TOKEN_PREFIX.length));
    const stored = await t.db.selectFrom('api_tokens').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow();
    expect(stored.secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(secret.slice(API_TOKEN_PREFIX.length));
    // Nobody else sees it.
    expect((await t.api(alice, 'GET', '/api/profile/tokens')).json.tokens).not.toContainEqual(expect.objectContaining({ id: token.id }));
    expect(await auditOf('api-token-create')).toContainEqual(expect.objectContaining({ target: token.id, decision: 'allow' }));
  });

  it('refuses bad input with a clear error', async () => {
    for (const body of [
      { name: '', scopes: ['read'], expiresInDays: 7 },
      { name: 'x', scopes: [], expiresInDays: 7 },
      { name: 'x', scopes: ['read', 'read'], expiresInDays: 7 },
      { name: 'x', scopes: ['everything'], expiresInDays: 7 },
      { name: 'x', scopes: ['read'], expiresInDays: 0 },
      { name: 'x', scopes: ['read'], expiresInDays: 366 },
    ]) {
      const response = await t.api(bob, 'POST', '/api/profile/tokens', body);
      expect([response.status, response.json.code], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED']);
    }
    const denied = await t.api(bob, 'POST', '/api/profile/tokens', { name: 'x', scopes: ['admin'], expiresInDays: 7 });
    expect(denied).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    expect(await auditOf('api-token-create')).toContainEqual(
      expect.objectContaining({ decision: 'deny', reason: 'admin scope for a non-admin' }),
    );
  });

  it('authenticates with the token alone: no cookie set, no CSRF token asked, the same-origin check kept', async () => {
    const token = await createToken(t.app, bob, ['transfer']);
    const session = await t.app.inject({ method: 'GET', url: '/api/session', headers: bearer(token) });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ user: { username: 'bob' } });
    expect(session.headers['set-cookie']).toBeUndefined();

    // A change with no CSRF header: accepted with the token (no cookie for a forged form to ride on)...
    const change = { spaceId: 'no-such-space', direction: 'download', paths: ['/a'] };
    const byToken = await t.app.inject({
      method: 'POST',
      url: '/api/transfers',
      headers: bearer(token),
      payload: change,
    });
    expect([byToken.statusCode, byToken.json().code]).toEqual([404, 'SPACE_NOT_FOUND']);
    expect(byToken.headers['set-cookie']).toBeUndefined();
    // ...and refused with the cookie alone.
    const byCookie = await t.app.inject({
      method: 'POST',
      url: '/api/transfers',
      headers: { cookie: bob.cookie },
      payload: change,
    });
    expect([byCookie.statusCode, byCookie.json().code]).toEqual([403, 'CSRF_FAILED']);
    // A browser's cross-site request is refused whatever it carries.
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/api/transfers',
      headers: bearer(token, { 'sec-fetch-site': 'cross-site' }),
      payload: change,
    });
    expect([crossSite.statusCode, crossSite.json().code]).toEqual([403, 'CSRF_FAILED']);
  });

  it('uses the token, not a cookie sent beside it, and never clears that cookie', async () => {
    const token = await createToken(t.app, bob, ['read']);
    const both = await t.app.inject({ method: 'GET', url: '/api/session', headers: bearer(token, { cookie: alice.cookie }) });
    expect(both.json().user.username).toBe('bob');
    const revokedToken = await t.app.inject({
      method: 'GET',
      url: '/api/session',
      headers: { authorization: 'Bearer courier_pat_nope', cookie: 'courier_session=stale' },
    });
    expect(revokedToken.statusCode).toBe(401);
    expect(revokedToken.headers['set-cookie']).toBeUndefined();
  });

  it('a token cannot log out, change the password, or manage tokens', async () => {
    const token = await createToken(t.app, bob, ['read', 'transfer']);
    for (const [method, url, payload] of [
      ['GET', '/api/profile/tokens', undefined],
      ['POST', '/api/profile/tokens', { name: 'child', scopes: ['read'], expiresInDays: 365 }],
      ['POST', '/api/profile/password', { currentPassword: TEST_PASSWORD, newPassword: 'a new long password' }],
      ['GET', '/api/profile/sessions', undefined],
      ['DELETE', '/api/session', undefined],
    ] as const) {
      const response = await t.api(token, method, url, payload);
      expect([response.status, response.json.message], `${method} ${url}`).toEqual([
        403,
        'An API token cannot do this: sign in to the portal instead.',
      ]);
    }
  });

  it('refuses a revoked token at once, and only its owner may revoke it', async () => {
    const token = await createToken(t.app, bob, ['read'], 'to revoke');
    const id = ((await t.api(bob, 'GET', '/api/profile/tokens')).json.tokens as Array<{ id: string; name: string }>).find(
      (x) => x.name === 'to revoke',
    )!.id;
    expect((await t.api(token, 'GET', '/api/spaces')).status).toBe(200);
    expect(await t.api(alice, 'DELETE', `/api/profile/tokens/${id}`)).toMatchObject({ status: 404, json: { code: 'NOT_FOUND' } });
    expect((await t.api(token, 'GET', '/api/spaces')).status).toBe(200);
    expect((await t.api(bob, 'DELETE', `/api/profile/tokens/${id}`)).status).toBe(204);
    expect(await t.api(token, 'GET', '/api/spaces')).toMatchObject({ status: 401, json: { code: 'UNAUTHENTICATED' } });
    expect((await t.api(bob, 'DELETE', `/api/profile/tokens/${id}`)).status).toBe(404);
    expect(await auditOf('api-token-revoke')).toContainEqual(
      expect.objectContaining({ target: id, decision: 'allow', reason: '"to revoke"' }),
    );
  });

  it('refuses an expired token with TOKEN_EXPIRED', async () => {
    const token = await createToken(t.app, bob, ['read'], 'short-lived');
    await t.db
      .updateTable('api_tokens')
      .set({ expires_at: Date.now() - 1 })
      .where('name', '=', 'short-lived')
      .execute();
    expect(await t.api(token, 'GET', '/api/spaces')).toMatchObject({ status: 401, json: { code: 'TOKEN_EXPIRED' } });
  });

  it('refuses the token of a disabled user, and of a deleted one', async () => {
    const created = await t.api(alice, 'POST', '/api/users', { username: 'scripted', displayName: 'Scripted', password: TEST_PASSWORD });
    const token = await createToken(t.app, await t.login('scripted'), ['read']);
    expect((await t.api(token, 'GET', '/api/spaces')).status).toBe(200);
    expect((await t.api(alice, 'PATCH', `/api/users/${created.json.id as string}`, { disabled: true })).status).toBe(200);
    expect(await t.api(token, 'GET', '/api/spaces')).toMatchObject({ status: 401, json: { code: 'UNAUTHENTICATED' } });
    expect((await t.api(alice, 'PATCH', `/api/users/${created.json.id as string}`, { disabled: false })).status).toBe(200);
    expect((await t.api(token, 'GET', '/api/spaces')).status).toBe(200);
    expect((await t.api(alice, 'DELETE', `/api/users/${created.json.id as string}?personalSpace=keep&transfers=delete`)).status).toBe(204);
    expect(await t.api(token, 'GET', '/api/spaces')).toMatchObject({ status: 401, json: { code: 'UNAUTHENTICATED' } });
    // The token went with its user.
    expect(
      await t.db
        .selectFrom('api_tokens')
        .select('id')
        .where('user_id', '=', created.json.id as string)
        .execute(),
    ).toEqual([]);
  });

  it('refuses a malformed or unknown bearer token, and leaves other schemes to the cookie', async () => {
    for (const authorization of ['Bearer', 'Bearer ', 'Bearer courier_pat_', `Bearer ${'x'.repeat(500)}`, 'bearer courier_pat_unknown'])
      expect((await t.app.inject({ method: 'GET', url: '/api/session', headers: { authorization } })).statusCode, authorization).toBe(401);
    const basic = await t.app.inject({ method: 'GET', url: '/api/session', headers: { authorization: 'Basic YTpi', cookie: bob.cookie } });
    expect(basic.json().user.username).toBe('bob');
  });

  it('records use at most once a minute', async () => {
    const token = await createToken(t.app, bob, ['read'], 'used');
    const lastUsed = async () =>
      (await t.db.selectFrom('api_tokens').select('last_used_at').where('name', '=', 'used').executeTakeFirstOrThrow()).last_used_at;
    expect(await lastUsed()).toBeNull();
    await t.api(token, 'GET', '/api/spaces');
    const first = await lastUsed();
    expect(first).toEqual(expect.any(Number));
    await t.api(token, 'GET', '/api/spaces');
    expect(await lastUsed()).toBe(first);
    await t.db
      .updateTable('api_tokens')
      .set({ last_used_at: first! - 60_000 })
      .where('name', '=', 'used')
      .execute();
    await t.api(token, 'GET', '/api/spaces');
    expect(await lastUsed()).toBeGreaterThanOrEqual(first!);
    const listed = (await t.api(bob, 'GET', '/api/profile/tokens')).json.tokens as Array<{ name: string; lastUsedAt: string | null }>;
    expect(listed.find((x) => x.name === 'used')?.lastUsedAt).toEqual(expect.any(String));
  });
});
