import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export type AccountClaims = { preferred_username?: string; name?: string; email?: string; email_verified?: boolean; groups?: string[] };

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The claims the provider will assert for `sub` at its next sign-in. */
  setAccount: (sub: string, claims: AccountClaims) => void;
  /** Drives the provider's own login and consent pages as `sub`; answers where it sends the browser back. */
  signIn: (authorizationUrl: string, sub: string) => Promise<URL>;
  stop: () => Promise<void>;
}

/**
 * A real OpenID Connect provider (`oidc-provider`) on 127.0.0.1 with its development login and
 * consent pages, one confidential client whose redirect URI is `redirectUri`, and accounts the test
 * sets. Claims go into the ID token, as Courier reads them there (docs/oidc.md §2).
 */
export async function startOidcProvider(redirectUri: string): Promise<TestOidcProvider> {
  const accounts = new Map<string, AccountClaims>();
  // Listening first: the provider needs its issuer URL, which holds the port.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'courier';
  const clientSecret = 'test-oidc-client-secret-that-is-long-enough';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        // RP-initiated logout returns to the portal's login page (docs/oidc.md §3).
        post_logout_redirect_uris: [new URL('/login', redirectUri).href],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'groups'], email: ['email', 'email_verified'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub, ...accounts.get(sub) }) }),
    cookies: { keys: ['test-cookie-key-for-the-provider'] },
  });
  server.on('request', provider.callback());

  return {
    issuer,
    clientId,
    clientSecret,
    setAccount: (sub, claims) => accounts.set(sub, claims),
    async signIn(authorizationUrl, sub) {
      const jar = new Map<string, string>();
      const send = async (url: string, body?: URLSearchParams) => {
        const response = await fetch(url, {
          method: body ? 'POST' : 'GET',
          redirect: 'manual',
          headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
          ...(body ? { body } : {}),
        });
        for (const cookie of response.headers.getSetCookie()) {
          const [pair] = cookie.split(';');
          const at = (pair ?? '').indexOf('=');
          jar.set((pair ?? '').slice(0, at), (pair ?? '').slice(at + 1));
        }
        return response;
      };
      let url = authorizationUrl;
      for (let step = 0; step < 12; step++) {
        const response = await send(url);
        if (response.status >= 300 && response.status < 400) {
          const next = new URL(response.headers.get('location') as string, url);
          if (next.href.startsWith(redirectUri)) return next;
          url = next.href;
          continue;
        }
        const html = await response.text();
        const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
        const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
        if (!action || !prompt) throw new Error(`unexpected provider page (${response.status}): ${html.slice(0, 300)}`);
        const form = new URLSearchParams({ prompt, ...(prompt === 'login' ? { login: sub, password: 'any' } : {}) });
        const submitted = await send(new URL(action, url).href, form);
        url = new URL(submitted.headers.get('location') as string, url).href;
        if (url.startsWith(redirectUri)) return new URL(url);
      }
      throw new Error('the provider did not send the browser back');
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
