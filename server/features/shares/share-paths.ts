import { baseName } from '../../../contract/space-path';
import { ERRORS } from '../../errors';
import { normalizeSpacePath } from '../spaces/space-path';

/**
 * A link's items by name (docs/sharing.md §7): the recipient addresses `/<name>` and, inside a
 * shared folder, `/<name>/…`; never a space path. Two items of one name are refused when the link
 * is made, so a name always means one item.
 */
export function sharedItems(spacePaths: string[]): Map<string, string> {
  const items = new Map<string, string>();
  for (const spacePath of spacePaths) {
    const name = baseName(spacePath);
    if (spacePath === '/' || name === '') throw ERRORS.BadRequest('Share files or folders of a space, not the whole space.');
    if (items.has(name))
      throw ERRORS.BadRequest(`Two shared items are named ${JSON.stringify(name)}; share them from one folder, or one at a time.`);
    items.set(name, spacePath);
  }
  return items;
}

/**
 * The space path of a share path the recipient sent, confined to the link's items. The path is
 * normalized under the node's rules first (`..`, backslashes, control and look-alike characters
 * refused, never resolved), so nothing outside the shared items can be named.
 */
export function toSpacePath(items: Map<string, string>, raw: string): string {
  const sharePath = normalizeSpacePath(raw);
  const [name, ...rest] = sharePath.split('/').slice(1);
  const base = name === undefined ? undefined : items.get(name);
  if (base === undefined) throw ERRORS.PathNotFound(sharePath);
  return rest.length === 0 ? base : `${base}/${rest.join('/')}`;
}

/** The share path of a space path under one of the items, or null when it is under none. */
export function toSharePath(items: Map<string, string>, spacePath: string): string | null {
  for (const [name, base] of items) {
    if (spacePath === base) return `/${name}`;
    if (spacePath.startsWith(`${base}/`)) return `/${name}${spacePath.slice(base.length)}`;
  }
  return null;
}
