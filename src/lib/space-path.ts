/** Space paths as the portal API speaks them: `/` is the space's root, `/a/b` a folder in it. */

export function joinSpacePath(folder: string, name: string): string {
  return folder === '/' ? `/${name}` : `${folder}/${name}`;
}

export function parentOfSpacePath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function spacePathSegments(path: string): string[] {
  return path.split('/').filter(Boolean);
}

export function baseNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
