/**
 * Hostile inputs against the public OpenID Connect routes (issue 20, docs/oidc.md §1 and §6): a
 * tampered state or nonce, a flow cookie forged, expired or missing, a code replayed or brought to
 * another provider's callback, open redirects in returnTo, provider ids that are not one, oversized
 * parameters. Two real providers run in this process. Each case names the attack and the answer it
 * must get; none may end with a session.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcProvider, type TestOidcProvider } from '../../../test-kit/oidc-provider';
import { createSecretBox } from '../../lib/secret-box';
import { callbackAt, cookieOf, throughProvider } from '../oidc-flow';
import { createTestApp, type TestApp } from '../test-app';
import { DIALECTS } from '../test-database';

const PUBLIC_URL = 'http://courier.test';
const CORP = { start: '/api/auth/oidc/start', callback: '/api/auth/oidc/callback' };
const PARTNER = { start: '/api/auth/oidc/partner/start', callback: '/api/auth/oidc/partner/callback' };

/** What the browser is told: where it goes (or the error code), and whether it got a session. */
interface Outcome {
  status: number;
  to: string;
  session: boolean;
}
interface Case {
  attack: string;
  expected: Outcome | Outcome[];
  run: () => Promise<Outcome | Outcome[]>;
}

const secretKey = randomBytes(32);
let corp: TestOidcProvider;
let partner: TestOidcProvider;
let t: TestApp;

type Injected = Awaited<ReturnType<TestApp['app']['inject']>>;
const outcome = (r: Injected): Outcome => ({
  status: r.statusCode,
  to: r.statusCode === 303 ? (r.headers.location as string) : r.json<{ code: string }>().code,
  session: cookieOf(r, 'courier_session') !== undefined,
});
const get = async (url: string, cookies?: Record<string, string>) =>
  outcome(await t.app.inject({ method: 'GET', url, ...(cookies ? { cookies } : {}) }));
/** A start, the provider's pages as a fresh person, and the way back, not yet taken. */
const begun = async (provider: 'corp' | 'partner' = 'corp') => {
  const sub = `sub-${randomBytes(6).toString('hex')}`;
  const idp = provider === 'corp' ? corp : partner;
  idp.setAccount(sub, { preferred_username: 'mallory' });
  return throughProvider(t.app, idp, provider === 'corp' ? CORP.start : PARTNER.start, sub);
};
const back = async (path: string, url: URL, flow: string | undefined) => outcome(await callbackAt(t.app, path, url, flow));
const withParam = (url: URL, name: string, value: string) => {
  const changed = new URL(url);
  changed.searchParams.set(name, value);
  return changed;
};
/** The flow cookie opened with the portal's key, changed, and sealed again: what only a key holder could do. */
const resealed = (flow: string, change: Record<string, unknown>, key = secretKey) => {
  const opened = JSON.parse(createSecretBox(secretKey).open(flow)) as Record<string, unknown>;
  return createSecretBox(key).seal(JSON.stringify({ ...opened, ...change }));
};

const FAILED = { status: 303, to: '/login?oidc=failed&provider=default', session: false };
const BAD_RETURN = { status: 303, to: '/login?oidc=bad-return&provider=default', session: false };
const UNKNOWN = { status: 303, to: '/login?oidc=unknown-provider', session: false };
const SIGNED_IN = { status: 303, to: '/', session: true };

const cases: Case[] = [
  {
    attack: 'the state changed in the way back',
    expected: FAILED,
    run: async () => {
      const a = await begun();
      return back(CORP.callback, withParam(a.back, 'state', 'not-the-state-we-sent'), a.flow);
    },
  },
  {
    attack: 'the state left out of the way back',
    expected: FAILED,
    run: async () => {
      const a = await begun();
      const stripped = new URL(a.back);
      stripped.searchParams.delete('state');
      return back(CORP.callback, stripped, a.flow);
    },
  },
  {
    attack: 'the state given twice, the right one second',
    expected: FAILED,
    run: async () => {
      const a = await begun();
      const doubled = new URL(`${a.back.origin}${a.back.pathname}?state=evil&${a.back.search.slice(1)}`);
      return back(CORP.callback, doubled, a.flow);
    },
  },
  {
    attack: 'a nonce other than the one in the ID token (flow resealed by a key holder)',
    expected: FAILED,
    run: async () => {
      const a = await begun();
      return back(CORP.callback, a.back, resealed(a.flow, { nonce: 'another-nonce' }));
    },
  },
  {
    attack: 'a PKCE verifier other than the one the challenge was made from',
    expected: FAILED,
    run: async () => {
      const a = await begun();
      return back(CORP.callback, a.back, resealed(a.flow, { verifier: 'x'.repeat(43) }));
    },
  },
  {
    attack: 'the flow cookie with its last bytes changed',
    expected: FAILED,
    run: async () => {
      const a = await begun();
      return back(CORP.callback, a.back, `${a.flow.slice(0, -4)}${a.flow.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`);
    },
  },
  {
    attack: "a flow cookie sealed with another portal's key",
    expected: FAILED,
    run: async () => {
      const a = await begun();
      return back(CORP.callback, a.back, resealed(a.flow, {}, randomBytes(32)));
    },
  },
  {
    attack: 'a flow cookie past its 10 minutes',
    expected: FAILED,
    run: async () => {
      const a = await begun();
      return back(CORP.callback, a.back, resealed(a.flow, { expiresAt: Date.now() - 1 }));
    },
  },
  {
    attack: 'the way back without the flow cookie (a login CSRF: the attacker sends the victim their own code)',
    expected: FAILED,
    run: async () => {
      const a = await begun();
      return back(CORP.callback, a.back, undefined);
    },
  },
  {
    attack: 'the code replayed with the same flow cookie after a sign-in',
    expected: [SIGNED_IN, FAILED],
    run: async () => {
      const a = await begun();
      return [await back(CORP.callback, a.back, a.flow), await back(CORP.callback, a.back, a.flow)];
    },
  },
  {
    attack: "the code and state of one sign-in with another sign-in's flow cookie",
    expected: FAILED,
    run: async () => {
      const a = await begun();
      const b = await begun();
      return back(CORP.callback, a.back, b.flow);
    },
  },
  {
    attack: "a partner flow brought to the corp provider's callback (mix-up)",
    expected: FAILED,
    run: async () => {
      const a = await begun('partner');
      return back(CORP.callback, a.back, a.flow);
    },
  },
  {
    attack: "a corp flow's provider name changed to the partner, brought to the partner's callback",
    expected: { ...FAILED, to: '/login?oidc=failed&provider=partner' },
    run: async () => {
      const a = await begun();
      return back(PARTNER.callback, a.back, resealed(a.flow, { provider: 'partner' }));
    },
  },
  {
    attack: "the issuer (iss) in the way back changed to the partner's",
    expected: FAILED,
    run: async () => {
      const a = await begun();
      return back(CORP.callback, withParam(a.back, 'iss', partner.issuer), a.flow);
    },
  },
  {
    attack: 'the provider answering with an error (the person cancelled)',
    expected: { status: 303, to: '/login?oidc=denied&provider=default', session: false },
    run: async () => {
      const a = await begun();
      return back(CORP.callback, new URL(`${PUBLIC_URL}${CORP.callback}?error=access_denied&state=x`), a.flow);
    },
  },
  {
    attack: 'a code of 10,000 characters',
    expected: FAILED,
    run: async () => {
      const a = await begun();
      return back(CORP.callback, withParam(a.back, 'code', 'c'.repeat(10_000)), a.flow);
    },
  },
  {
    attack: 'open redirects in returnTo: other hosts, schemes, protocol-relative and hidden slashes',
    expected: Array.from({ length: 9 }, () => BAD_RETURN),
    run: () =>
      Promise.all(
        [
          '//evil.example/files',
          'https://evil.example/',
          '/\\evil.example',
          '/\t/evil.example',
          '/\n/evil.example',
          'javascript:alert(1)',
          'http:evil.example',
          'evil.example',
          `/${'a'.repeat(1100)}`,
        ].map((returnTo) => get(`${CORP.start}?returnTo=${encodeURIComponent(returnTo)}`)),
      ),
  },
  {
    attack: 'returnTo given twice',
    expected: { status: 400, to: 'VALIDATION_FAILED', session: false },
    run: () => get(`${CORP.start}?returnTo=/files&returnTo=//evil.example`),
  },
  {
    attack: 'a returnTo sealed in the flow changed to another host by a key holder (checked again on the way back)',
    expected: SIGNED_IN,
    run: async () => {
      const a = await begun();
      return back(CORP.callback, a.back, resealed(a.flow, { returnTo: '//evil.example/' }));
    },
  },
  {
    attack: 'provider ids that are not one: unknown, another case, encoded traversal, a NUL, 90 characters',
    expected: Array.from({ length: 5 }, () => UNKNOWN),
    run: () =>
      Promise.all(['nope', 'PARTNER', '..%2F..%2Fsession', 'partner%00', 'p'.repeat(90)].map((id) => get(`/api/auth/oidc/${id}/start`))),
  },
  {
    attack: 'a provider id longer than a path parameter may be',
    // Fastify's own answer for any path parameter over 100 characters, before a route runs.
    expected: { status: 414, to: 'FST_ERR_MAX_PARAM_LENGTH', session: false },
    run: () => get(`/api/auth/oidc/${'p'.repeat(200)}/callback?code=x&state=y`),
  },
  {
    attack: 'the way back at an unknown provider id, with a good flow',
    expected: UNKNOWN,
    run: async () => {
      const a = await begun();
      return back('/api/auth/oidc/nope/callback', a.back, a.flow);
    },
  },
  {
    attack: 'a forged provider cookie on the logout, with two providers',
    expected: { status: 303, to: '/login?oidc=no-logout', session: false },
    run: () => get('/api/auth/oidc/logout', { courier_oidc_provider: 'https://evil.example' }),
  },
];

describe.each(DIALECTS)('OpenID Connect hostile-input corpus on %s', (dialect) => {
  beforeAll(async () => {
    corp = await startOidcProvider(`${PUBLIC_URL}${CORP.callback}`);
    partner = await startOidcProvider(`${PUBLIC_URL}${PARTNER.callback}`);
    t = await createTestApp(
      dialect,
      {
        COURIER_PUBLIC_URL: PUBLIC_URL,
        COURIER_OIDC_ISSUER: corp.issuer,
        COURIER_OIDC_CLIENT_ID: corp.clientId,
        COURIER_OIDC_CLIENT_SECRET: corp.clientSecret,
        COURIER_OIDC_PROVIDERS: JSON.stringify([
          { id: 'partner', name: 'Partner ID', issuer: partner.issuer, clientId: partner.clientId, clientSecret: partner.clientSecret },
        ]),
      },
      { secretKey },
    );
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await corp?.stop();
    await partner?.stop();
  });

  it('has 23 cases, the figure the README security section states', () => {
    expect(cases).toHaveLength(23);
  });

  it.each(cases)('$attack', async ({ run, expected }) => {
    expect(await run()).toEqual(expected);
  });
});
