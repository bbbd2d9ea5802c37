import { randomBytes } from 'node:crypto';
import { ERRORS } from '../../errors';
import { normalizeSpacePath } from './space-path';

/**
 * Where a space's files live on its node, and the rule that keeps two spaces out of each other's
 * folders: on one node, no space's root may equal, contain or lie inside another's.
 */

/** Holds every personal space (`/home/<username>`): never a shared space's root or inside one. */
export const PERSONAL_ROOT_PARENT = '/home';
/** Holds the generated roots (`/spaces/<slug>-<id>`): never a space's root itself. */
export const GENERATED_ROOT_PARENT = '/spaces';

// Zero-width joiners, bidi controls, BOM…: invisible, and HFS+ ignores several of them when it
// compares names, so "fi\u200Bnance" may be the very folder "finance" on a macOS node.
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * The key two roots are compared by, stored as `spaces.root_key` (unique per node). It folds what
 * a node's file system may fold: NTFS, APFS and HFS+ (the usual Windows and macOS HSTS docroots)
 * are case-insensitive, HFS+ decomposes and ignores some invisible characters. So: NFKC (which
 * also maps full-width and ligature look-alikes onto their plain letters), invisible characters
 * dropped, upper- then lower-cased (a cheap full case fold: "ß" and "ss", "ς" and "σ" meet), NFC.
 * Stricter than any one file system on purpose: a false match refuses a folder, a missed one shares
 * it. Changing this function needs a migration that recomputes `root_key`.
 */
export function spaceRootKey(rootPath: string): string {
  return rootPath.normalize('NFKC').replace(IGNORABLE, '').toUpperCase().toLowerCase().normalize('NFC');
}

/** A space name as compared for duplicates: the same folding as roots, with runs of spaces as one. */
export function spaceNameKey(name: string): string {
  return spaceRootKey(name).replace(/\s+/gu, ' ').trim();
}

export type RootRelation = 'same' | 'inside' | 'contains';

/** How root key `a` stands to root key `b`: the same folder, inside it, containing it, or apart. */
export function rootRelation(a: string, b: string): RootRelation | null {
  if (a === b) return 'same';
  const under = (inner: string, outer: string) => inner.startsWith(outer === '/' ? '/' : `${outer}/`);
  if (under(a, b)) return 'inside';
  if (under(b, a)) return 'contains';
  return null;
}

/**
 * An admin-given root for a shared space, normalized, or a 400 when it can never be one: the whole
 * node, the parents of personal and generated roots, anything under `/home` (a user not yet logged
 * in would find a shared space in their personal one), or a name a Windows node would change.
 */
export function sharedRootFrom(input: string): string {
  // The shared path rules already refuse "‥" and "／", which NFKC turns into ".." and "/".
  const rootPath = normalizeSpacePath(input);
  const key = spaceRootKey(rootPath);
  if (key === '/') throw ERRORS.InvalidPath(rootPath, 'is the whole node; give a space its own folder');
  if (key === GENERATED_ROOT_PARENT) throw ERRORS.InvalidPath(rootPath, 'holds the folders of all spaces; give a space its own folder');
  if (key === PERSONAL_ROOT_PARENT || key.startsWith(`${PERSONAL_ROOT_PARENT}/`)) {
    throw ERRORS.InvalidPath(rootPath, `is where personal spaces live (${PERSONAL_ROOT_PARENT}/<username>); choose a folder outside it`);
  }
  // Win32 drops trailing dots and spaces, so "alpha." would be the folder "alpha" on a Windows node.
  if (rootPath.split('/').some((s) => /[. ]$/.test(s)))
    throw ERRORS.InvalidPath(rootPath, 'has a folder name ending in a dot or a space, which Windows nodes drop');
  return rootPath;
}

/**
 * A fresh root for a space called `name`: a readable slug and a random id, so that names folding
 * to the same slug ("Project X", "project-x") never share a folder. Letters of every script are
 * kept ("財務" → /spaces/財務-3f9a2c) since nodes already hold Unicode file names; a name with no
 * letter or digit at all falls back to "space". 40 characters keep the folder under 255 bytes.
 */
export function generatedRoot(name: string): string {
  const slug = [
    ...name
      .normalize('NFKC')
      .replace(IGNORABLE, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
      .replace(/^[-\p{M}]+|-+$/gu, ''),
  ]
    .slice(0, 40)
    .join('')
    .replace(/-+$/, '');
  return `${GENERATED_ROOT_PARENT}/${/[\p{L}\p{N}]/u.test(slug) ? slug : 'space'}-${randomBytes(3).toString('hex')}`;
}

/** A personal space's root: `/home/<username>`, or with a random id when that folder is taken. */
export function personalRoot(username: string, taken = false): string {
  const base = `${PERSONAL_ROOT_PARENT}/${username.toLowerCase()}`;
  return taken ? `${base}-${randomBytes(3).toString('hex')}` : base;
}

export interface PlacedSpace {
  id: string;
  name: string;
  node_id: string;
  root_path: string;
  owner_user_id: string | null;
}

/** The first space on `nodeId` whose root overlaps `rootPath`, with how `rootPath` stands to it. */
export function overlapping<S extends PlacedSpace>(
  spaces: readonly S[],
  nodeId: string,
  rootPath: string,
): { space: S; relation: RootRelation } | null {
  const key = spaceRootKey(rootPath);
  for (const space of spaces) {
    if (space.node_id !== nodeId) continue;
    const relation = rootRelation(key, spaceRootKey(space.root_path));
    if (relation) return { space, relation };
  }
  return null;
}

export interface RootConflict<S extends PlacedSpace> {
  nodeId: string;
  kind: 'same-folder' | 'nested';
  /** same-folder: every space on that folder, oldest first; nested: the outer space, then the inner. */
  spaces: S[];
}

/** Every pair of spaces in each other's folders, and every folder several spaces share. */
export function findRootConflicts<S extends PlacedSpace>(spaces: readonly S[]): RootConflict<S>[] {
  const byFolder = new Map<string, S[]>();
  for (const space of spaces) {
    const folder = `${space.node_id}\n${spaceRootKey(space.root_path)}`;
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), space]);
  }
  const conflicts: RootConflict<S>[] = [];
  for (const [folder, sharing] of byFolder) {
    const [nodeId = '', key = ''] = folder.split('\n');
    if (sharing.length > 1) conflicts.push({ nodeId, kind: 'same-folder', spaces: sharing });
    // Each ancestor folder is one lookup, so this stays linear in spaces times path depth.
    const segments = key.split('/').filter(Boolean);
    for (let depth = segments.length - 1; depth >= 0; depth -= 1) {
      const outer = byFolder.get(`${nodeId}\n/${segments.slice(0, depth).join('/')}`);
      if (outer) conflicts.push(...outer.flatMap((o) => sharing.map((inner) => ({ nodeId, kind: 'nested' as const, spaces: [o, inner] }))));
    }
  }
  return conflicts;
}
