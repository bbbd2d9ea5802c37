import type { Config } from '../../config';
import type { OidcSettings } from './oidc-service';

/**
 * The identity providers the settings name (docs/oidc.md §6): the COURIER_OIDC_ISSUER one first, as
 * `default`, then those of COURIER_OIDC_PROVIDERS, in their order (the login page's order).
 */
export function oidcProvidersOf(config: Config): OidcSettings[] {
  const single: OidcSettings[] =
    config.oidcIssuer && config.oidcClientId && config.oidcClientSecret
      ? [
          {
            id: 'default',
            name: config.oidcName,
            issuer: config.oidcIssuer,
            clientId: config.oidcClientId,
            clientSecret: config.oidcClientSecret,
            groupsClaim: config.oidcGroupsClaim,
            adminGroup: config.oidcAdminGroup,
          },
        ]
      : [];
  return [...single, ...config.oidcProviders.map((p) => ({ ...p, adminGroup: p.adminGroup }))];
}

/** Where a provider sends the browser back; `default` keeps the path it had when it was the only one. */
export function callbackPath(id: string): string {
  return id === 'default' ? '/api/auth/oidc/callback' : `/api/auth/oidc/${id}/callback`;
}

/** The login page's button link for a provider. */
export function startPath(id: string): string {
  return id === 'default' ? '/api/auth/oidc/start' : `/api/auth/oidc/${id}/start`;
}
