import { ERRORS } from '../../errors';

// Characters no node should be asked to create or resolve: NUL and the other C0 controls, and the
// backslash, which Windows-hosted HSTS nodes treat as a separator (so "a\..\b" would climb).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;

/**
 * Normalizes a space-relative path to `/a/b` (NFC, no empty or `.` segments). `..` is refused
 * rather than resolved, so a request can never name anything outside the space's root.
 */
export function normalizeSpacePath(input: string): string {
  if (FORBIDDEN.test(input)) throw ERRORS.InvalidPath(input, 'contains a control character or a backslash');
  const segments = input.normalize('NFC').split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) throw ERRORS.InvalidPath(input, 'may not contain ".."');
  if (segments.some((s) => s.length > 255)) throw ERRORS.InvalidPath(input, 'has a name longer than 255 characters');
  return `/${segments.join('/')}`;
}

/** A file or folder name (no separators); used for renames and new folders. */
export function validateName(name: string): string {
  const normalized = name.normalize('NFC').trim();
  if (normalized === '' || normalized === '.' || normalized === '..' || normalized.includes('/') || FORBIDDEN.test(normalized)) {
    throw ERRORS.InvalidName(name);
  }
  return normalized;
}

/** The node path of a normalized space path: the space's root joined with it. */
export function toNodePath(rootPath: string, spacePath: string): string {
  const root = rootPath.replace(/\/+$/, '');
  return spacePath === '/' ? root || '/' : `${root}${spacePath}`;
}

/** The space path of a node path under `rootPath`, or null when it is outside (never shown). */
export function fromNodePath(rootPath: string, nodePath: string): string | null {
  const root = rootPath.replace(/\/+$/, '');
  if (nodePath === root || (root === '' && nodePath === '/')) return '/';
  if (!nodePath.startsWith(`${root}/`)) return null;
  return nodePath.slice(root.length);
}

export function parentOf(spacePath: string): string {
  const i = spacePath.lastIndexOf('/');
  return i <= 0 ? '/' : spacePath.slice(0, i);
}

export function baseName(spacePath: string): string {
  return spacePath.slice(spacePath.lastIndexOf('/') + 1);
}
