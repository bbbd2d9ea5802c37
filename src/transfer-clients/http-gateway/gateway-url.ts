/**
 * The gateway base as the SDK normalises it (docs/http-gateway.md §1): trimmed, `https://` when no
 * scheme, one trailing `/` dropped. The base already holds the route (`/aspera/http-gwy`), no version.
 */
export function normaliseGatewayUrl(raw: string): string {
  let url = raw.trim();
  if (!url.startsWith('http')) url = `https://${url}`;
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

export function gatewayEndpoint(base: string, route: '/v3/upload' | '/v3/download' | '/v3/presign'): string {
  const url = normaliseGatewayUrl(base);
  if (route !== '/v3/presign') return `${url}${route}`;
  // §1: presign goes to origin + pathname of the base (a query string in the configured URL is dropped).
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname.replace(/\/$/, '')}${route}`;
}
