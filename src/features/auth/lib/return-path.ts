export const LOGIN_PATH = '/login';
export const HOME_PATH = '/files';

/**
 * Where to go after logging in. `next` comes from the address bar, so only a path on this
 * origin is followed: `//evil.example` and `/\evil.example` are protocol-relative URLs to
 * browsers, and anything else could be an open redirect.
 */
export function getReturnPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return HOME_PATH;
  // Control characters (tab, newline) are stripped by URL parsers and can hide a second slash.
  if ([...next].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) return HOME_PATH;
  const url = new URL(next, 'http://courier.invalid');
  if (url.origin !== 'http://courier.invalid') return HOME_PATH;
  if (url.pathname === LOGIN_PATH || url.pathname.startsWith(`${LOGIN_PATH}/`)) return HOME_PATH;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The login page's address that brings the user back to `from` afterwards. */
export function getLoginPath(from: { pathname: string; search: string; hash: string } | null): string {
  if (!from) return LOGIN_PATH;
  const target = `${from.pathname}${from.search}${from.hash}`;
  if (getReturnPath(target) === HOME_PATH && target !== HOME_PATH) return LOGIN_PATH;
  return `${LOGIN_PATH}?${new URLSearchParams({ next: target }).toString()}`;
}
