/**
 * Space paths as the portal API speaks them: `/` is the space's root, `/a/b` a folder in it. Pure
 * and free of zod, like roles.ts: the portal uses them on normalized paths, the SPA on its first
 * pages. Checking and normalizing a path is the portal's (server/features/spaces/space-path.ts).
 */

export function joinSpacePath(folder: string, name: string): string {
  return folder === '/' ? `/${name}` : `${folder}/${name}`;
}

export function parentOf(spacePath: string): string {
  const i = spacePath.lastIndexOf('/');
  return i <= 0 ? '/' : spacePath.slice(0, i);
}

export function baseName(spacePath: string): string {
  return spacePath.slice(spacePath.lastIndexOf('/') + 1);
}

export function spacePathSegments(spacePath: string): string[] {
  return spacePath.split('/').filter(Boolean);
}
