import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { createSecretBox } from '../../lib/secret-box';
import { startOidcProvider, type TestOidcProvider } from '../../../test-kit/oidc-provider';
import { callbackAt, sessionUserOf, throughProvider } from '../../test/oidc-flow';
import { createTestApp, embeddedNodeOf, injectApi, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

// OpenID Connect sign-in against a real provider (oidc-provider) in this process (docs/oidc.md).
const PUBLIC_URL = 'http://courier.test';
const REDIRECT_URI = `${PUBLIC_URL}/api/auth/oidc/callback`;

const cookieOf = (response: { cookies: Array<{ name: string; value: string }> }, name: string) =>
  response.cookies.find((c) => c.name === name && c.value !== '')?.value;

describe.each(DIALECTS)('OpenID Connect sign-in on %s', (dialect) => {
  let idp: TestOidcProvider;
  let node: NodeProcess;
  let t: TestApp;
  const secretKey = randomBytes(32);

  beforeAll(async () => {
    idp = await startOidcProvider(REDIRECT_URI);
    node = await startNodeProcess();
    t = await createTestApp(
      dialect,
      {
        COURIER_PUBLIC_URL: PUBLIC_URL,
        COURIER_OIDC_ISSUER: idp.issuer,
        COURIER_OIDC_CLIENT_ID: idp.clientId,
        COURIER_OIDC_CLIENT_SECRET: idp.clientSecret,
        COURIER_OIDC_NAME: 'Example SSO',
        COURIER_OIDC_ADMIN_GROUP: 'courier-admins',
      },
      { secretKey, embeddedNode: embeddedNodeOf(node) },
    );
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await node?.stop();
    await idp?.stop();
  });

  /** /start, the provider's pages as `sub`, and where the provider sends the browser back. */
  async function throughProvider(sub: string) {
    const start = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    expect(start.statusCode).toBe(303);
    const location = start.headers.location as string;
    expect(location.startsWith(idp.issuer)).toBe(true);
    const authorization = new URL(location);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('nonce')).toBeTruthy();
    return { flow: cookieOf(start, 'courier_oidc') as string, back: await idp.signIn(location, sub) };
  }

  async function callback(back: URL, flow: string | undefined) {
    return t.app.inject({
      method: 'GET',
      url: `/api/auth/oidc/callback${back.search}`,
      ...(flow ? { cookies: { courier_oidc: flow } } : {}),
    });
  }

  /** A whole sign-in as `sub`: the session cookie it ends with, and who GET /api/session says that is. */
  async function signIn(sub: string) {
    const { flow, back } = await throughProvider(sub);
    const done = await callback(back, flow);
    expect([done.statusCode, done.headers.location]).toEqual([303, '/']);
    const sessionId = cookieOf(done, 'courier_session') as string;
    const session = await t.app.inject({ method: 'GET', url: '/api/session', cookies: { courier_session: sessionId } });
    expect(session.statusCode).toBe(200);
    const { user, csrfToken } = session.json<{
      user: { id: string; username: string; displayName: string; isAdmin: boolean };
      csrfToken: string;
    }>();
    return { user, who: { cookie: `courier_session=${sessionId}`, csrfToken } };
  }

  it('offers the button by its name', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/client-config' })).json()).toMatchObject({ oidcName: 'Example SSO' });
  });

  it('creates the user at the first sign-in and finds the same user at the second, by (issuer, sub)', async () => {
    idp.setAccount('sub-dana', { preferred_username: 'dana', name: 'Dana Doe', email: 'dana@example.com', email_verified: true });
    const first = await signIn('sub-dana');
    expect(first.user).toMatchObject({ username: 'dana', displayName: 'Dana Doe', isAdmin: false });
    const identity = await t.db.selectFrom('oidc_identities').selectAll().where('sub', '=', 'sub-dana').executeTakeFirstOrThrow();
    expect(identity).toMatchObject({ issuer: idp.issuer, user_id: first.user.id });

    // A new username at the provider does not make a new person: the sub is who it is.
    idp.setAccount('sub-dana', { preferred_username: 'dana.renamed', name: 'Dana Doe' });
    const second = await signIn('sub-dana');
    expect(second.user.id).toBe(first.user.id);
    expect(await t.db.selectFrom('users').select('id').where('username_key', 'like', 'dana%').execute()).toHaveLength(1);
  });

  it('never takes over a local account by its username or email (email matching is off by default)', async () => {
    idp.setAccount('sub-impostor', { preferred_username: 'alice', email: 'alice@example.com', email_verified: true });
    const { user } = await signIn('sub-impostor');
    expect(user.username).toBe('alice-2');
    expect(user.isAdmin).toBe(false);
  });

  it('grants a space through a group claim, and takes it back when the claim no longer names the group', async () => {
    const admin = await t.login('alice');
    const api = injectApi(t.app);
    const group = await api(admin, 'POST', '/api/groups', { name: 'Design' });
    const space = await api(admin, 'POST', '/api/spaces', { name: 'Mockups' });
    expect(
      (
        await api(admin, 'PUT', `/api/spaces/${space.json.id as string}/members`, {
          principalType: 'group',
          principalId: group.json.id,
          role: 'contributor',
        })
      ).status,
    ).toBe(200);
    const spacesOf = async (who: { cookie: string; csrfToken: string }) =>
      ((await api(who, 'GET', '/api/spaces')).json.spaces as Array<{ name: string; role: string }>).map((s) => `${s.name}:${s.role}`);

    idp.setAccount('sub-erin', { preferred_username: 'erin', groups: ['design', 'not-in-courier'] });
    const inGroup = await signIn('sub-erin');
    expect(await spacesOf(inGroup.who)).toContain('Mockups:contributor');

    idp.setAccount('sub-erin', { preferred_username: 'erin', groups: [] });
    const outOfGroup = await signIn('sub-erin');
    expect(await spacesOf(outOfGroup.who)).not.toContain('Mockups:contributor');
  });

  it('makes an admin of the admin group, and unmakes one', async () => {
    idp.setAccount('sub-fay', { preferred_username: 'fay', groups: ['courier-admins'] });
    expect((await signIn('sub-fay')).user.isAdmin).toBe(true);
    idp.setAccount('sub-fay', { preferred_username: 'fay', groups: [] });
    expect((await signIn('sub-fay')).user.isAdmin).toBe(false);
  });

  it('refuses a tampered state, a tampered nonce, a missing flow and a replayed callback', async () => {
    idp.setAccount('sub-gus', { preferred_username: 'gus' });
    const refused = async (response: Awaited<ReturnType<typeof callback>>) => {
      expect([response.statusCode, response.headers.location]).toEqual([303, '/login?oidc=failed']);
      expect(cookieOf(response, 'courier_session')).toBeUndefined();
    };

    const a = await throughProvider('sub-gus');
    const tampered = new URL(a.back);
    tampered.searchParams.set('state', 'not-the-state-we-sent');
    await refused(await callback(tampered, a.flow));

    // The flow cookie is sealed with the portal's key: only someone holding it could change the
    // nonce, and even then the provider's ID token names the nonce it was given.
    const b = await throughProvider('sub-gus');
    const box = createSecretBox(secretKey);
    const flow = JSON.parse(box.open(b.flow)) as { nonce: string };
    await refused(await callback(b.back, box.seal(JSON.stringify({ ...flow, nonce: 'another-nonce' }))));

    const c = await throughProvider('sub-gus');
    await refused(await callback(c.back, undefined));
    await refused(await callback(c.back, `${c.flow.slice(0, -4)}AAAA`));

    const d = await throughProvider('sub-gus');
    expect((await callback(d.back, d.flow)).headers.location).toBe('/');
    await refused(await callback(d.back, d.flow));
  });

  it('offers RP-initiated logout at the provider, back to the login page', async () => {
    const logout = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/logout' });
    expect(logout.statusCode).toBe(303);
    const url = new URL(logout.headers.location as string);
    expect(url.href.startsWith(`${idp.issuer}/`)).toBe(true);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: idp.clientId,
      post_logout_redirect_uri: `${PUBLIC_URL}/login`,
    });
    // The provider knows the way back: its logout page answers, not an error.
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(200);
  });

  it('refuses a disabled account', async () => {
    idp.setAccount('sub-hal', { preferred_username: 'hal' });
    const { user } = await signIn('sub-hal');
    await t.db.updateTable('users').set({ disabled: 1 }).where('id', '=', user.id).execute();
    const { flow, back } = await throughProvider('sub-hal');
    const response = await callback(back, flow);
    expect([response.statusCode, response.headers.location]).toEqual([303, '/login?oidc=disabled']);
    expect(cookieOf(response, 'courier_session')).toBeUndefined();
  });
});

describe('OpenID Connect sign-in with the identity provider down', () => {
  it('sends the browser back to the login page, saying so, and the local form still works', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const t = await createTestApp('sqlite', {
      COURIER_PUBLIC_URL: PUBLIC_URL,
      COURIER_OIDC_ISSUER: `http://127.0.0.1:${port}`,
      COURIER_OIDC_CLIENT_ID: 'courier',
      COURIER_OIDC_CLIENT_SECRET: 'secret',
    });
    try {
      const start = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
      expect([start.statusCode, start.headers.location]).toEqual([303, '/login?oidc=unavailable']);
      const logout = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/logout' });
      expect([logout.statusCode, logout.headers.location]).toEqual([303, '/login?oidc=unavailable']);
      expect((await t.app.inject({ method: 'GET', url: '/api/client-config' })).json().oidcName).toBe('single sign-on');
      expect((await t.login('alice')).cookie).toMatch(/^courier_session=/);
    } finally {
      await t.close();
    }
  });
});

describe.each(DIALECTS)('OpenID Connect email matching, a run-time setting, on %s', (dialect) => {
  let idp: TestOidcProvider;
  let t: TestApp;
  beforeAll(async () => {
    idp = await startOidcProvider(REDIRECT_URI);
    // The environment gives the default (on here); an admin overrides it while the portal runs.
    t = await createTestApp(dialect, {
      COURIER_PUBLIC_URL: PUBLIC_URL,
      COURIER_OIDC_ISSUER: idp.issuer,
      COURIER_OIDC_CLIENT_ID: idp.clientId,
      COURIER_OIDC_CLIENT_SECRET: idp.clientSecret,
      COURIER_OIDC_MATCH_EMAIL: 'true',
    });
    await t.db.updateTable('users').set({ email: 'Bob@Example.com' }).where('username', '=', 'bob').execute();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await idp?.stop();
  });

  async function signedInAs(sub: string) {
    const { flow, back } = await throughProvider(t.app, idp, '/api/auth/oidc/start', sub);
    return (await sessionUserOf(t.app, await callbackAt(t.app, '/api/auth/oidc/callback', back, flow)))?.username;
  }

  it('links a first sign-in to the user with that email only when the provider says it is verified', async () => {
    idp.setAccount('sub-unverified', { preferred_username: 'bobby', email: 'bob@example.com', email_verified: false });
    expect(await signedInAs('sub-unverified')).toBe('bobby');
    idp.setAccount('sub-bob', { preferred_username: 'robert', email: 'bob@example.com', email_verified: true });
    expect(await signedInAs('sub-bob')).toBe('bob');
    expect(await signedInAs('sub-bob')).toBe('bob');
  });

  it('stops linking by email when an admin turns it off, and links again when the default is restored', async () => {
    const admin = await t.login('alice');
    const set = async (value: number | null) => (await t.api(admin, 'PUT', '/api/admin/settings/oidcMatchEmail', { value })).status;
    await t.db.updateTable('users').set({ email: 'alice@example.com' }).where('username', '=', 'alice').execute();

    expect(await set(0)).toBe(200);
    idp.setAccount('sub-alice-off', { preferred_username: 'alice', email: 'alice@example.com', email_verified: true });
    expect(await signedInAs('sub-alice-off')).toBe('alice-2');

    expect(await set(null)).toBe(200);
    idp.setAccount('sub-alice-on', { preferred_username: 'al', email: 'ALICE@example.com', email_verified: true });
    expect(await signedInAs('sub-alice-on')).toBe('alice');
    // Linked once, the identity stays with its user whatever the setting says later.
    expect(await set(0)).toBe(200);
    expect(await signedInAs('sub-alice-on')).toBe('alice');
    expect(await set(2)).toBe(400);
  });
});
