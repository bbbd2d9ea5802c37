import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { safeReturnPath } from '../../../contract/return-path';
import { setSessionCookie } from '../auth/auth-plugin';
import { OIDC_FLOW_TTL_SECONDS, OidcError, type OidcService } from './oidc-service';

const FLOW_COOKIE = 'courier_oidc';
// Which provider signed this browser in last: where "Also log out of …" goes (docs/oidc.md §3).
const PROVIDER_COOKIE = 'courier_oidc_provider';
const FLOW_PATH = '/api/auth/oidc';
const HOME = '/';

export interface OidcProvider {
  id: string;
  name: string;
  service: OidcService;
}

const providerParams = z.object({ provider: z.string().describe('The provider id of COURIER_OIDC_PROVIDERS (docs/oidc.md §6).') });
const startQuery = z.object({
  returnTo: z.string().optional().describe('A path on this portal to land on after the sign-in (default /).'),
});

/**
 * The browser's way through an OpenID Connect sign-in (docs/oidc.md §1): every route is a full-page
 * navigation, so every outcome is a redirect, a failure to the login page with its reason
 * (`/login?oidc=<reason>&provider=<id>`), where the local form still works.
 *
 * Each provider has its own start and callback under `/api/auth/oidc/<id>/`; the COURIER_OIDC_ISSUER
 * provider (`default`) also keeps `/api/auth/oidc/start` and `/callback`, the redirect URI it was
 * registered with before there could be several (docs/oidc.md §6).
 */
export const oidcRoutes: FastifyPluginAsync<{
  providers: readonly OidcProvider[];
  secureCookies: boolean;
  absoluteTimeoutSeconds: number;
  /** The portal's public origin: where the provider sends the browser after its own logout. */
  publicOrigin: string;
}> = async (app, { providers, secureCookies, absoluteTimeoutSeconds, publicOrigin }) => {
  const byId = new Map(providers.map((p) => [p.id, p]));
  const failed = (reason: string, provider?: OidcProvider) =>
    `/login?${new URLSearchParams({ oidc: reason, ...(provider && providers.length > 1 ? { provider: provider.id } : {}) }).toString()}`;
  const cookieOptions = { path: FLOW_PATH, httpOnly: true, sameSite: 'lax', secure: secureCookies } as const;

  async function start(provider: OidcProvider, request: FastifyRequest, reply: FastifyReply) {
    const { returnTo } = request.query as z.infer<typeof startQuery>;
    const landing = returnTo === undefined || returnTo === '' ? HOME : safeReturnPath(returnTo);
    if (landing === null) {
      request.log.warn({ provider: provider.id }, 'OpenID Connect sign-in not started: returnTo is not a path on this portal');
      return reply.redirect(failed('bad-return', provider), 303);
    }
    try {
      const { url, flow } = await provider.service.start(landing);
      // Lax: the provider's redirect back is a top-level GET, which carries a Lax cookie.
      reply.setCookie(FLOW_COOKIE, flow, { ...cookieOptions, maxAge: OIDC_FLOW_TTL_SECONDS });
      return reply.redirect(url, 303);
    } catch (error) {
      if (!(error instanceof OidcError)) throw error;
      request.log.warn({ provider: provider.id, reason: error.reason, err: error.message }, 'OpenID Connect sign-in not started');
      return reply.redirect(failed(error.reason, provider), 303);
    }
  }

  async function callback(provider: OidcProvider, request: FastifyRequest, reply: FastifyReply) {
    const sealed = request.cookies[FLOW_COOKIE];
    // One use: a replayed callback finds no flow.
    reply.clearCookie(FLOW_COOKIE, cookieOptions);
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    try {
      const { sessionId, session, returnTo } = await provider.service.finish(query, sealed, {
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      setSessionCookie(reply, sessionId, absoluteTimeoutSeconds, secureCookies);
      reply.setCookie(PROVIDER_COOKIE, provider.id, { ...cookieOptions, maxAge: absoluteTimeoutSeconds });
      request.log.info({ userId: session.user.id, provider: provider.id }, 'signed in with OpenID Connect');
      // Checked at the start; again here, so that even a forged flow cannot send the browser away.
      return reply.redirect(safeReturnPath(returnTo) ?? HOME, 303);
    } catch (error) {
      if (!(error instanceof OidcError)) throw error;
      request.log.warn({ provider: provider.id, reason: error.reason, err: error.message }, 'OpenID Connect sign-in refused');
      return reply.redirect(failed(error.reason, provider), 303);
    }
  }

  /** The provider a path names, or a redirect to the login page saying there is none of that id. */
  const named = (handler: typeof start) => async (request: FastifyRequest, reply: FastifyReply) => {
    const provider = byId.get((request.params as z.infer<typeof providerParams>).provider);
    if (!provider) {
      request.log.warn('OpenID Connect sign-in refused: unknown provider id');
      return reply.redirect(failed('unknown-provider'), 303);
    }
    return handler(provider, request, reply);
  };

  const toProvider = { status: 303, contentType: null, description: 'To the identity provider, or to /login?oidc=<reason>.' };
  const backHome = { status: 303, contentType: null, description: 'To returnTo (or /) with a session cookie, or to /login?oidc=<reason>.' };
  app.get(
    '/api/auth/oidc/:provider/start',
    { schema: { params: providerParams, querystring: startQuery }, config: { auth: 'public', rawResponse: toProvider } },
    named(start),
  );
  app.get(
    '/api/auth/oidc/:provider/callback',
    { schema: { params: providerParams }, config: { auth: 'public', rawResponse: backHome } },
    named(callback),
  );
  const legacy = byId.get('default');
  if (legacy) {
    app.get(
      '/api/auth/oidc/start',
      { schema: { querystring: startQuery }, config: { auth: 'public', rawResponse: toProvider } },
      (request, reply) => start(legacy, request, reply),
    );
    app.get('/api/auth/oidc/callback', { config: { auth: 'public', rawResponse: backHome } }, (request, reply) =>
      callback(legacy, request, reply),
    );
  }

  // Offered on the login page after a logout: Courier's session is already over; this ends the
  // provider's too (the one that signed this browser in, else the only one), which then sends the
  // browser back to the login page.
  app.get(
    '/api/auth/oidc/logout',
    {
      config: {
        auth: 'public',
        rawResponse: { status: 303, contentType: null, description: "To the provider's end_session_endpoint, or to /login?oidc=<reason>." },
      },
    },
    async (request, reply) => {
      const provider = byId.get(request.cookies[PROVIDER_COOKIE] ?? '') ?? (providers.length === 1 ? providers[0] : undefined);
      reply.clearCookie(PROVIDER_COOKIE, cookieOptions);
      if (!provider) return reply.redirect(failed('no-logout'), 303);
      try {
        const url = await provider.service.endSessionUrl(`${publicOrigin}/login`);
        return reply.redirect(url ?? failed('no-logout', provider), 303);
      } catch (error) {
        if (!(error instanceof OidcError)) throw error;
        request.log.warn({ provider: provider.id, reason: error.reason, err: error.message }, 'OpenID Connect logout not started');
        return reply.redirect(failed(error.reason, provider), 303);
      }
    },
  );
};
