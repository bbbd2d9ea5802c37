/**
 * The local login form an admin turns off beside an identity provider (docs/oidc.md §5): password
 * logins are refused to everyone but admins, the SPA is told to hide the form, and without a
 * provider the setting changes nothing (nobody could sign in at all otherwise).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

// The provider is never reached here: discovery happens only when someone starts a sign-in.
const OIDC_ENV = {
  COURIER_PUBLIC_URL: 'http://courier.test',
  COURIER_OIDC_ISSUER: 'https://idp.example.com',
  COURIER_OIDC_CLIENT_ID: 'courier',
  COURIER_OIDC_CLIENT_SECRET: 'not-a-real-secret',
};

const passwordLogin = (t: TestApp, username: string, password = TEST_PASSWORD) =>
  t.app.inject({ method: 'POST', url: '/api/session', payload: { username, password } });
const clientConfig = async (t: TestApp) =>
  (await t.app.inject({ method: 'GET', url: '/api/client-config' })).json<{ localLoginForm: boolean }>();

describe.each(DIALECTS)('turning the local login form off on %s', (dialect) => {
  describe('with an identity provider configured', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect, OIDC_ENV);
    }, 60_000);
    afterAll(async () => t?.close());

    it('refuses password logins to non-admins while it is off, keeps them for admins, and allows them again when on', async () => {
      const admin = await t.login('alice');
      expect((await passwordLogin(t, 'bob')).statusCode).toBe(200);
      expect(await clientConfig(t)).toMatchObject({ localLoginForm: true });

      expect((await t.api(admin, 'PUT', '/api/admin/settings/localLoginForm', { value: 0 })).status).toBe(200);
      const refused = await passwordLogin(t, 'bob');
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'LOCAL_LOGIN_OFF' });
      expect(refused.cookies.find((c) => c.name === 'courier_session' && c.value !== '')).toBeUndefined();
      // A wrong password is still only a wrong password: the refusal tells nothing to a guesser.
      expect((await passwordLogin(t, 'bob', 'not the password')).json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
      // The admin cannot lock themselves out.
      expect((await passwordLogin(t, 'alice')).statusCode).toBe(200);
      expect(await clientConfig(t)).toMatchObject({ localLoginForm: false });

      expect((await t.api(admin, 'PUT', '/api/admin/settings/localLoginForm', { value: null })).status).toBe(200);
      expect((await passwordLogin(t, 'bob')).statusCode).toBe(200);
      expect(await clientConfig(t)).toMatchObject({ localLoginForm: true });
    });

    it('refuses values other than 0 and 1', async () => {
      const admin = await t.login('alice');
      expect((await t.api(admin, 'PUT', '/api/admin/settings/localLoginForm', { value: 2 })).status).toBe(400);
    });
  });

  describe('without an identity provider', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect);
    }, 60_000);
    afterAll(async () => t?.close());

    it('keeps password login for everyone whatever the setting says', async () => {
      const admin = await t.login('alice');
      expect((await t.api(admin, 'PUT', '/api/admin/settings/localLoginForm', { value: 0 })).status).toBe(200);
      expect((await passwordLogin(t, 'bob')).statusCode).toBe(200);
      expect(await clientConfig(t)).toMatchObject({ localLoginForm: true });
    });
  });
});
