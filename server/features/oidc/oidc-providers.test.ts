import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcProvider, type TestOidcProvider } from '../../../test-kit/oidc-provider';
import { callbackAt, sessionUserOf, throughProvider } from '../../test/oidc-flow';
import { createTestApp, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

// Several identity providers at once (docs/oidc.md §6): two real providers in this process, one
// configured the single-provider way (COURIER_OIDC_ISSUER) and one in COURIER_OIDC_PROVIDERS.
const PUBLIC_URL = 'http://courier.test';

describe.each(DIALECTS)('two OpenID Connect providers on %s', (dialect) => {
  let corp: TestOidcProvider;
  let partner: TestOidcProvider;
  let t: TestApp;

  beforeAll(async () => {
    corp = await startOidcProvider(`${PUBLIC_URL}/api/auth/oidc/callback`);
    partner = await startOidcProvider(`${PUBLIC_URL}/api/auth/oidc/partner/callback`);
    t = await createTestApp(dialect, {
      COURIER_PUBLIC_URL: PUBLIC_URL,
      COURIER_OIDC_ISSUER: corp.issuer,
      COURIER_OIDC_CLIENT_ID: corp.clientId,
      COURIER_OIDC_CLIENT_SECRET: corp.clientSecret,
      COURIER_OIDC_NAME: 'Corp SSO',
      COURIER_OIDC_PROVIDERS: JSON.stringify([
        { id: 'partner', name: 'Partner ID', issuer: partner.issuer, clientId: partner.clientId, clientSecret: partner.clientSecret },
      ]),
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await corp?.stop();
    await partner?.stop();
  });

  const signIn = async (idp: TestOidcProvider, id: 'default' | 'partner', sub: string, returnTo?: string) => {
    const base = id === 'default' ? '/api/auth/oidc' : `/api/auth/oidc/${id}`;
    const { flow, back } = await throughProvider(
      t.app,
      idp,
      `${base}/start${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`,
      sub,
    );
    const done = await callbackAt(t.app, `${base}/callback`, back, flow);
    return { location: done.headers.location, user: await sessionUserOf(t.app, done) };
  };

  it('offers a button for each, in order, with its own start', async () => {
    const config = (await t.app.inject({ method: 'GET', url: '/api/client-config' })).json<{ oidcProviders: unknown }>();
    expect(config.oidcProviders).toEqual([
      { id: 'default', name: 'Corp SSO', startUrl: '/api/auth/oidc/start' },
      { id: 'partner', name: 'Partner ID', startUrl: '/api/auth/oidc/partner/start' },
    ]);
  });

  it('keys identities by (issuer, sub): one sub at two providers is two people, each found again', async () => {
    corp.setAccount('sub-1', { preferred_username: 'ines' });
    partner.setAccount('sub-1', { preferred_username: 'ines' });
    const atCorp = await signIn(corp, 'default', 'sub-1');
    const atPartner = await signIn(partner, 'partner', 'sub-1');
    expect(atCorp.location).toBe('/');
    expect([atCorp.user?.username, atPartner.user?.username]).toEqual(['ines', 'ines-2']);
    expect((await signIn(partner, 'partner', 'sub-1')).user?.id).toBe(atPartner.user?.id);
    expect((await signIn(corp, 'default', 'sub-1')).user?.id).toBe(atCorp.user?.id);
    const identities = await t.db.selectFrom('oidc_identities').select(['issuer', 'user_id']).where('sub', '=', 'sub-1').execute();
    expect(new Map(identities.map((i) => [i.issuer, i.user_id]))).toEqual(
      new Map([
        [corp.issuer, atCorp.user?.id],
        [partner.issuer, atPartner.user?.id],
      ]),
    );
  });

  it('lands on the returnTo path it was started with', async () => {
    partner.setAccount('sub-2', { preferred_username: 'jon' });
    const done = await signIn(partner, 'partner', 'sub-2', '/files/abc?path=%2Freports');
    expect(done.location).toBe('/files/abc?path=%2Freports');
    expect(done.user?.username).toBe('jon');
  });

  it("refuses a flow started at one provider and brought back to the other's callback", async () => {
    partner.setAccount('sub-3', { preferred_username: 'kim' });
    const { flow, back } = await throughProvider(t.app, partner, '/api/auth/oidc/partner/start', 'sub-3');
    const crossed = await callbackAt(t.app, '/api/auth/oidc/callback', back, flow);
    expect([crossed.statusCode, crossed.headers.location]).toEqual([303, '/login?oidc=failed&provider=default']);
    expect(await sessionUserOf(t.app, crossed)).toBeNull();
  });
});
