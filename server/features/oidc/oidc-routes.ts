import type { FastifyPluginAsync } from 'fastify';
import { setSessionCookie } from '../auth/auth-plugin';
import { OIDC_FLOW_TTL_SECONDS, OidcError, type OidcService } from './oidc-service';

const FLOW_COOKIE = 'courier_oidc';
const FLOW_PATH = '/api/auth/oidc';

/**
 * The browser's way through an OpenID Connect sign-in (docs/oidc.md §1): both routes are full-page
 * navigations, so every outcome is a redirect, a failure to the login page with its reason
 * (`/login?oidc=unavailable|failed|denied|disabled`), where the local form still works.
 */
export const oidcRoutes: FastifyPluginAsync<{
  oidc: OidcService;
  secureCookies: boolean;
  absoluteTimeoutSeconds: number;
  /** The portal's public origin: where the provider sends the browser after its own logout. */
  publicOrigin: string;
}> = async (app, { oidc, secureCookies, absoluteTimeoutSeconds, publicOrigin }) => {
  const failed = (reason: string) => `/login?oidc=${reason}`;

  app.get(
    '/api/auth/oidc/start',
    {
      config: {
        auth: 'public',
        rawResponse: { status: 303, contentType: null, description: 'To the identity provider, or to /login?oidc=<reason>.' },
      },
    },
    async (request, reply) => {
      try {
        const { url, flow } = await oidc.start();
        // Lax: the provider's redirect back is a top-level GET, which carries a Lax cookie.
        reply.setCookie(FLOW_COOKIE, flow, {
          path: FLOW_PATH,
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookies,
          maxAge: OIDC_FLOW_TTL_SECONDS,
        });
        return reply.redirect(url, 303);
      } catch (error) {
        if (!(error instanceof OidcError)) throw error;
        request.log.warn({ reason: error.reason, err: error.message }, 'OpenID Connect sign-in not started');
        return reply.redirect(failed(error.reason), 303);
      }
    },
  );

  app.get(
    '/api/auth/oidc/callback',
    {
      config: {
        auth: 'public',
        rawResponse: { status: 303, contentType: null, description: 'To / with a session cookie, or to /login?oidc=<reason>.' },
      },
    },
    async (request, reply) => {
      const sealed = request.cookies[FLOW_COOKIE];
      // One use: a replayed callback finds no flow.
      reply.clearCookie(FLOW_COOKIE, { path: FLOW_PATH, httpOnly: true, sameSite: 'lax', secure: secureCookies });
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
      try {
        const { sessionId, session } = await oidc.finish(query, sealed, { ip: request.ip, userAgent: request.headers['user-agent'] });
        setSessionCookie(reply, sessionId, absoluteTimeoutSeconds, secureCookies);
        request.log.info({ userId: session.user.id }, 'signed in with OpenID Connect');
        return reply.redirect('/', 303);
      } catch (error) {
        if (!(error instanceof OidcError)) throw error;
        request.log.warn({ reason: error.reason, err: error.message }, 'OpenID Connect sign-in refused');
        return reply.redirect(failed(error.reason), 303);
      }
    },
  );

  // Offered on the login page after a logout: Courier's session is already over; this ends the
  // provider's too, which then sends the browser back to the login page.
  app.get(
    '/api/auth/oidc/logout',
    {
      config: {
        auth: 'public',
        rawResponse: { status: 303, contentType: null, description: "To the provider's end_session_endpoint, or to /login?oidc=<reason>." },
      },
    },
    async (request, reply) => {
      try {
        const url = await oidc.endSessionUrl(`${publicOrigin}/login`);
        return reply.redirect(url ?? failed('no-logout'), 303);
      } catch (error) {
        if (!(error instanceof OidcError)) throw error;
        request.log.warn({ reason: error.reason, err: error.message }, 'OpenID Connect logout not started');
        return reply.redirect(failed(error.reason), 303);
      }
    },
  );
};
