/**
 * Limits of one transfer that the portal, the SPA and the embedded node must agree on, so that what
 * the portal authorizes the node accepts. Free of dependencies, like path-rules.ts: transfer-node/
 * and the SPA's first pages import it.
 */

/**
 * The most files one upload may carry: the gateway pairs every spec path with a file part in one
 * request (docs/http-gateway.md §3.1), and its spec part and the token's manifest grow with each one.
 */
export const MAX_TRANSFER_FILES = 10_000;
