/**
 * What IBM's SDK bundle (0.23.5) reaches from the page, beyond its own script (docs/aspera-sdk.md §13):
 * Desktop's JSON-RPC and WebSocket on loopback (ports 33024–33029 when several people share a
 * machine), the `aspera://` link it opens in a hidden iframe to start Desktop (and, on shared
 * machines, to register a session), and IBM's download site, where `getInstallerInfo()` reads
 * `latest.json` to offer an installer.
 */
const DESKTOP_PORTS = [33024, 33025, 33026, 33027, 33028, 33029];
export const SDK_CONNECT_SOURCES = [
  ...DESKTOP_PORTS.map((p) => `http://127.0.0.1:${p}`),
  ...DESKTOP_PORTS.map((p) => `ws://127.0.0.1:${p}`),
  'https://downloads.ibmaspera.com',
];
export const SDK_FRAME_SOURCES = ['aspera:'];

/**
 * The SPA's Content-Security-Policy. Scripts come only from the portal (and the configured IBM
 * SDK bundle); the page may connect to the portal and the transfer nodes' HTTP Gateways. Only when
 * an SDK URL is configured does it also allow what the SDK needs (above); without one, none of it.
 */
export function contentSecurityPolicy(options: { gatewayOrigins: string[]; asperaSdkUrl?: string | undefined }): string {
  const sdkOrigin = options.asperaSdkUrl ? new URL(options.asperaSdkUrl).origin : null;
  const connect = ["'self'", ...options.gatewayOrigins, ...(sdkOrigin ? SDK_CONNECT_SOURCES : [])];
  return [
    "default-src 'self'",
    ['script-src', "'self'", ...(sdkOrigin ? [sdkOrigin] : [])].join(' '),
    // Carbon sets inline style attributes (positions of menus and tooltips).
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${[...new Set(connect)].join(' ')}`,
    // Presigned gateway downloads may be opened in a hidden frame (docs/http-gateway.md §5.3).
    ['frame-src', "'self'", ...options.gatewayOrigins, ...(sdkOrigin ? SDK_FRAME_SOURCES : [])].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}
