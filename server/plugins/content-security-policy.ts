/**
 * The SPA's Content-Security-Policy. Scripts come only from the portal (and the configured IBM
 * SDK bundle); the page may connect to the portal, the transfer nodes' HTTP Gateways, and, with
 * the SDK, to IBM Aspera for Desktop on loopback (docs/aspera-sdk.md §13: JSON-RPC on
 * http://127.0.0.1:33024-33029 and its WebSocket).
 */
export function contentSecurityPolicy(options: { gatewayOrigins: string[]; asperaSdkUrl?: string | undefined }): string {
  const sdkOrigin = options.asperaSdkUrl ? new URL(options.asperaSdkUrl).origin : null;
  const desktop = sdkOrigin ? ['http://127.0.0.1:*', 'ws://127.0.0.1:*'] : [];
  const connect = ["'self'", ...options.gatewayOrigins, ...desktop];
  return [
    "default-src 'self'",
    ['script-src', "'self'", ...(sdkOrigin ? [sdkOrigin] : [])].join(' '),
    // Carbon sets inline style attributes (positions of menus and tooltips).
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${[...new Set(connect)].join(' ')}`,
    // Presigned gateway downloads may be opened in a hidden frame (docs/http-gateway.md §5.3).
    ['frame-src', "'self'", ...options.gatewayOrigins].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}
