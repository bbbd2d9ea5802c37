/**
 * The one error the node client throws. The portal maps `kind` to its catalogue
 * (NODE_UNAVAILABLE, …) and never needs to parse messages. Messages never contain credentials:
 * the client builds them from the operation, the node's origin and the node's own error text,
 * then redacts anything that looks like our secret (a node could echo a header back).
 */
import type { ItemError } from './types';

export type NodeApiErrorKind =
  | 'unavailable' // connection refused, DNS, timeout, TLS failure: no HTTP answer at all
  | 'auth' // 401: the node refused our credentials
  | 'forbidden' // 403: the credentials are fine, this operation on this input is not allowed
  | 'not_found'
  | 'conflict'
  | 'bad_request'
  | 'bad_response' // an answer we cannot use: HTML, truncated or wrong-shaped JSON, a redirect
  | 'node_error'; // 5xx

export class NodeApiError extends Error {
  override readonly name = 'NodeApiError';
  constructor(
    readonly kind: NodeApiErrorKind,
    message: string,
    /** HTTP status of the node's answer, or of the node's error body inside a 200; null without one. */
    readonly status: number | null = null,
    /** The node's own text (`user_message`, `description`, `internal_message`), when it gave one. */
    readonly nodeMessage: string | null = null,
    /** A low-level code (`ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`, `CERT_HAS_EXPIRED`…) for logs. */
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/**
 * docs/node-api.md §0 typical statuses. 403 is not `auth`: a node answers it for input it refuses (a
 * link leaving a folder, a reserved name), which is the user's to fix, not the administrator's.
 */
export function kindForStatus(status: number): NodeApiErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  // A node throttling this address (the embedded node after wrong passwords from a shared one):
  // busy for now, not the caller's input.
  if (status === 429) return 'node_error';
  if (status >= 500) return 'node_error';
  if (status >= 400) return 'bad_request';
  return 'bad_response';
}

/**
 * Reads `{ error: {code, reason, user_message} }` and the variants ascli tolerates
 * (docs/node-api.md §0): `description`, `internal_message`, a string, or a bare `{"error": ""}`.
 * Returns null when the value carries no error at all.
 */
export function readNodeError(value: unknown): ItemError | null {
  if (value === undefined || value === null || value === false) return null;
  if (typeof value === 'string') return { status: null, message: value };
  if (typeof value !== 'object') return { status: null, message: '' };
  const e = value as Record<string, unknown>;
  const code = typeof e.code === 'number' ? e.code : typeof e.code === 'string' && /^\d{3}$/.test(e.code) ? Number(e.code) : null;
  const text = [e.user_message, e.description, e.internal_message, e.message, e.reason].find(
    (m): m is string => typeof m === 'string' && m.trim() !== '',
  );
  return { status: code, message: text ?? '' };
}

/** The top-level error of a response body, if the node sent one (§0, and errors inside a 200). */
export function errorOfBody(body: unknown): ItemError | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('error' in body)) return null;
  return readNodeError((body as { error: unknown }).error) ?? null;
}
