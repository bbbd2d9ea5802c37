import { safeReturnPath } from '../../../../contract/return-path';

export const LOGIN_PATH = '/login';
export const HOME_PATH = '/files';

/** Where to go after logging in: `next` comes from the address bar (contract/return-path.ts). */
export function getReturnPath(next: string | null | undefined): string {
  const path = safeReturnPath(next);
  if (path === null) return HOME_PATH;
  const { pathname } = new URL(path, 'http://courier.invalid');
  if (pathname === LOGIN_PATH || pathname.startsWith(`${LOGIN_PATH}/`)) return HOME_PATH;
  return path;
}

/** The login page's address that brings the user back to `from` afterwards. */
export function getLoginPath(from: { pathname: string; search: string; hash: string } | null): string {
  if (!from) return LOGIN_PATH;
  const target = `${from.pathname}${from.search}${from.hash}`;
  if (getReturnPath(target) === HOME_PATH && target !== HOME_PATH) return LOGIN_PATH;
  return `${LOGIN_PATH}?${new URLSearchParams({ next: target }).toString()}`;
}
