/**
 * When a node-to-node part is sent again, and after how long (docs/node-api.md §5.1): a blip
 * between two nodes (a reset connection, a proxy's 502/503/504, a stall) must not fail a send of
 * hours at 99 %, while a refusal (a token, a path, a session gone) will not change by waiting.
 */
import { NodeError } from '../errors';

/** The first send of a part and three more: with the default base, 0.5 s, 1 s and 2 s apart. */
export const PART_ATTEMPTS = 4;
/** A `Retry-After` longer than this is cut to it: the remote's load is not worth minutes of a send. */
export const RETRY_AFTER_MAX_MS = 10_000;

// A proxy's or an overloaded server's answers, which a later try may not get again.
const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Whether a part's failure may pass. A network error reaches here as a 502 (gateway-client.ts).
 * A 409 on a part sent again is this node's own cut part still being written by the remote
 * (docs/http-gateway.md §11.2: overlapping parts are refused while one is in flight); on a first
 * send it is a real conflict. A local file that changed is never retried.
 */
export function isTransient(err: unknown, resend: boolean): err is NodeError {
  if (!(err instanceof NodeError) || err.kind === 'changed') return false;
  return TRANSIENT_STATUSES.has(err.status) || (resend && err.status === 409);
}

/**
 * The wait before attempt `attempt + 1`: `baseMs` doubled at each attempt, or the remote's
 * `Retry-After` (seconds or an HTTP date, RFC 9110 §10.2.3) when it gave one, capped.
 */
export function retryDelayMs(attempt: number, baseMs: number, retryAfter: string | undefined, now = Date.now()): number {
  const asked = retryAfterMs(retryAfter, now);
  if (asked !== null) return Math.min(asked, RETRY_AFTER_MAX_MS);
  return baseMs * 2 ** (attempt - 1);
}

function retryAfterMs(value: string | undefined, now: number): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  // The date form servers send (IMF-fixdate); Date.parse alone would read "-1" as a year.
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return null;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
