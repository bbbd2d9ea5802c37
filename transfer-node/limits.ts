/**
 * Bounds on what one client can hold: time to send a request, idle time inside an upload body,
 * connections, and wrong Node API passwords (issue 10, items 7 and 11). Without them ten sockets
 * that send headers and then one byte every 10 s stayed open for minutes, with no credentials.
 */
export interface NodeLimits {
  /** Headers of a request must arrive within this (Node's `headersTimeout`). */
  headersTimeoutMs: number;
  /** Any request but an upload (Node API JSON, presign) must have arrived whole within this. */
  requestBodyTimeoutMs: number;
  /** An upload's x-aspera-spec part must be received and its token verified within this. */
  uploadAuthorizeTimeoutMs: number;
  /**
   * An upload body that brings no byte for this long is ended and its partial removed. Time the
   * node itself stalls the client (disk backpressure) does not count, so a slow but live upload
   * is never cut.
   */
  uploadIdleTimeoutMs: number;
  /**
   * An upload session (docs/http-gateway.md §11.5) that receives nothing for this long is ended and
   * its staged files removed; never later than its token's expiry.
   */
  uploadSessionIdleMs: number;
  maxConnections: number;
  maxConnectionsPerIp: number;
  /** Wrong Node API credentials one client IP may send per window before it gets 429. */
  authMaxFailures: number;
  authWindowMs: number;
}

export const DEFAULT_LIMITS: NodeLimits = {
  // Headers are a few KiB (a download spec up to 256 KiB): seconds even on a poor mobile link.
  headersTimeoutMs: 15_000,
  // Node API bodies are small JSON; a portal on the same network sends them in milliseconds.
  requestBodyTimeoutMs: 30_000,
  // The spec part comes first (docs/http-gateway.md §3.1) and is at most a few MiB for 10,000 paths.
  uploadAuthorizeTimeoutMs: 15_000,
  // TCP retransmission gives up after ~15 minutes, but a live sender is never silent for a minute.
  uploadIdleTimeoutMs: 60_000,
  // Long enough to come back after a reload, a lost network or a laptop's sleep; staged bytes use
  // disk meanwhile, so not the token's whole day.
  uploadSessionIdleMs: 6 * 3600_000,
  // A browser opens at most 6 connections per host, and a portal's pool a few dozen; a NAT or proxy
  // puts many people behind one address, hence the room per address.
  maxConnections: 1024,
  maxConnectionsPerIp: 128,
  // Enough for a person mistyping or a portal whose password was just rotated; far too few for guessing.
  authMaxFailures: 20,
  authWindowMs: 60_000,
};

export function resolveLimits(given: Partial<NodeLimits> = {}): NodeLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(given) as [keyof NodeLimits, number | undefined][]) {
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value <= 0) throw new Error(`limits.${key} must be a positive integer`);
    limits[key] = value;
  }
  return limits;
}
