import { normaliseGatewayUrl } from './gateway-url';

// The same bound as check-gateway.ts: a gateway that does not answer /info in time gets v3 uploads.
const INFO_TIMEOUT_MS = 5000;

/**
 * The largest part a gateway's upload sessions take, or null when it has none (docs/http-gateway.md
 * §11.1): an IBM gateway, an older embedded node, or no answer. `GET /info` is a simple request
 * (no preflight).
 */
export async function uploadSessionPartMax(base: string, doFetch: typeof fetch): Promise<number | null> {
  try {
    const res = await doFetch(`${normaliseGatewayUrl(base)}/info`, { credentials: 'omit', signal: AbortSignal.timeout(INFO_TIMEOUT_MS) });
    if (!res.ok) return null;
    const offer = ((await res.json()) as { courier_upload_sessions?: { version?: unknown; part_size_max?: unknown } })
      .courier_upload_sessions;
    const max = offer?.part_size_max;
    return offer?.version === 1 && typeof max === 'number' && max > 0 ? max : null;
  } catch {
    return null;
  }
}
