import type { TransferClientAvailability } from '../transfer-client';
import { normaliseGatewayUrl } from './gateway-url';

// Long enough for a cold TLS handshake, short enough that "checking…" never sits on screen.
const CHECK_TIMEOUT_MS = 5000;

/**
 * `GET {base}/info` (docs/http-gateway.md §2): reachable, JSON, and a version whose major is ≥ 3
 * (Courier's client speaks only v3; a 2.x gateway needs the legacy WebSocket protocol, §9).
 */
export async function checkGateway(
  gatewayUrl: string,
  doFetch: typeof fetch = (i, o) => globalThis.fetch(i, o),
): Promise<TransferClientAvailability> {
  const down = {
    available: false,
    reason: 'The HTTP Gateway cannot be reached: transfers through the browser will fail until it is back.',
  };
  let res: Response;
  try {
    res = await doFetch(`${normaliseGatewayUrl(gatewayUrl)}/info`, { credentials: 'omit', signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
  } catch {
    return down;
  }
  if (!res.ok) return { ...down, reason: `The HTTP Gateway answered ${res.status}: ask an administrator to check it.` };
  let version: unknown;
  try {
    version = ((await res.json()) as { version?: unknown }).version;
  } catch {
    return { ...down, reason: 'The HTTP Gateway URL does not answer like an HTTP Gateway: ask an administrator to check it.' };
  }
  const major = Number(String(version ?? '').split('.')[0] || 3);
  if (!(major >= 3))
    return { available: false, reason: `The HTTP Gateway is version ${String(version)}; Courier needs version 3 or later.` };
  return { available: true };
}
