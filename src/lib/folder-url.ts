import { spacePathSegments } from '../../contract/space-path';

/** `/files/<space id>/<folder>/<sub>`: each segment encoded, so `#`, `?` and `%` in names survive. */
export function folderUrl(spaceId: string, path: string): string {
  const segments = [spaceId, ...spacePathSegments(path)].map(encodeURIComponent);
  return `/files/${segments.join('/')}`;
}

/** The inverse, from the router's already decoded splat (`<space id>/<folder>/<sub>`). */
export function parseFolderSplat(splat: string): { spaceId: string; path: string } | null {
  const [spaceId, ...rest] = splat.split('/').filter(Boolean);
  if (!spaceId) return null;
  return { spaceId, path: `/${rest.join('/')}` };
}
