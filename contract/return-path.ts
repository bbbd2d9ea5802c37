/**
 * The one rule for where a browser may be sent back after a sign-in (the SPA's `?next=`, the
 * OpenID Connect flow's `returnTo`, docs/oidc.md §1): a path on this origin, or null. Both sides
 * import it, so a link the login page builds is one the portal follows.
 *
 * `//evil.example` and `/\evil.example` are protocol-relative URLs to browsers; control characters
 * (tab, newline) are stripped by URL parsers and can hide a second slash; anything else could be an
 * open redirect.
 */
export const MAX_RETURN_PATH = 1024;

export function safeReturnPath(next: string | null | undefined): string | null {
  if (!next || next.length > MAX_RETURN_PATH || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if ([...next].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) return null;
  const url = new URL(next, 'http://courier.invalid');
  if (url.origin !== 'http://courier.invalid') return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
