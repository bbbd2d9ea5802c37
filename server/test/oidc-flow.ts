import type { FastifyInstance } from 'fastify';
import type { TestOidcProvider } from '../../test-kit/oidc-provider';

/** A cookie a response sets (not one it clears). */
export const cookieOf = (response: { cookies: Array<{ name: string; value: string }> }, name: string) =>
  response.cookies.find((c) => c.name === name && c.value !== '')?.value;

/**
 * One OpenID Connect sign-in through `app.inject` and a real provider (docs/oidc.md §1): the start
 * at `startUrl`, the provider's own pages as `sub`, and the callback URL it sends the browser back to.
 */
export async function throughProvider(app: FastifyInstance, idp: TestOidcProvider, startUrl: string, sub: string) {
  const start = await app.inject({ method: 'GET', url: startUrl });
  const location = start.headers.location as string;
  if (start.statusCode !== 303 || !location.startsWith(idp.issuer)) throw new Error(`the start did not go to the provider: ${location}`);
  return { flow: cookieOf(start, 'courier_oidc') as string, back: await idp.signIn(location, sub) };
}

/** The provider's redirect back, at `callbackPath`, with the flow cookie (or none). */
export const callbackAt = (app: FastifyInstance, callbackPath: string, back: URL, flow: string | undefined) =>
  app.inject({ method: 'GET', url: `${callbackPath}${back.search}`, ...(flow ? { cookies: { courier_oidc: flow } } : {}) });

/** Who a response's session cookie signs in, or null when it set none. */
export async function sessionUserOf(app: FastifyInstance, response: { cookies: Array<{ name: string; value: string }> }) {
  const sessionId = cookieOf(response, 'courier_session');
  if (!sessionId) return null;
  const session = await app.inject({ method: 'GET', url: '/api/session', cookies: { courier_session: sessionId } });
  return session.json<{ user: { id: string; username: string } }>().user;
}
