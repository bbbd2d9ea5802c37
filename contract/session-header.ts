/**
 * The header that carries the session's CSRF token, named once for the portal and the SPA. Free of
 * zod, like roles.ts: the SPA's API client is on its first page, and session.ts would bring the
 * schemas (and zod's ~26 kB gzip) along.
 */

/** Header carrying the CSRF token on every state-changing request (except logging in). */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Header on every answer to a logged-in request (and to a login): milliseconds until the session
 * ends if it is not used again (idle) or at its absolute expiry, whichever comes first. Relative,
 * so the browser's clock does not have to agree with the server's; the SPA warns before the end
 * and keeps the session alive while transfers run (features/auth/components/session-keeper.tsx).
 */
export const SESSION_ENDS_IN_HEADER = 'x-courier-session-ends-in';
