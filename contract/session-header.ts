/**
 * The header that carries the session's CSRF token, named once for the portal and the SPA. Free of
 * zod, like roles.ts: the SPA's API client is on its first page, and session.ts would bring the
 * schemas (and zod's ~26 kB gzip) along.
 */

/** Header carrying the CSRF token on every state-changing request (except logging in). */
export const CSRF_HEADER = 'x-csrf-token';
