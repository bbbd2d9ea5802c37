import { ERRORS } from '../../errors';
import { NodeApiError } from '../../node-client/node-api-error';
import type { NodeClient } from '../../node-client/node-client';
import type { BrowseEntry, BrowseResult, BrowseSort } from '../../node-client/types';

/** A browse page as large as the embedded node and an HSTS give (docs/node-api.md §3). */
const PAGE = 1000;
/** A bound on the work one request may cause: 100 browse calls. */
export const MAX_FOLDER_ENTRIES = 100_000;
/** Up to this many names are looked up one by one; more, and the whole folder is read once. */
const ONE_BY_ONE = 32;

export type EntryKind = 'file' | 'folder' | 'link';

const kindOf = (entry: BrowseEntry): EntryKind =>
  entry.type === 'directory' ? 'folder' : entry.type === 'symbolic_link' ? 'link' : 'file';

/**
 * Every entry of a node folder, paged through browse (docs/node-api.md §3, §9.3: a short page ends
 * it when the node gives no count). A missing folder has no entries. Refused past MAX_FOLDER_ENTRIES.
 */
export async function readWholeFolder(client: NodeClient, nodeFolder: string, sort: BrowseSort = 'path'): Promise<BrowseEntry[]> {
  const entries: BrowseEntry[] = [];
  for (;;) {
    const page = await client.browse({ path: nodeFolder, skip: entries.length, count: PAGE, sort }).catch((error: unknown) => {
      if (error instanceof NodeApiError && error.kind === 'not_found') return null;
      throw error;
    });
    if (!page) return entries;
    entries.push(...page.items);
    if (entries.length > MAX_FOLDER_ENTRIES)
      throw ERRORS.BadRequest(`This folder holds more than ${MAX_FOLDER_ENTRIES} items; act on its subfolders instead.`);
    const total = page.totalCount ?? Infinity;
    if (page.items.length < PAGE || entries.length >= total) return entries;
  }
}

/**
 * What each name is in a node folder (null: free), asked one by one for a few names and by reading
 * the folder once for many, so a 2,000-file drop costs two browse calls, not 2,000.
 */
export async function folderLookup(
  client: NodeClient,
  nodeFolder: string,
  names: readonly string[],
): Promise<(name: string) => Promise<EntryKind | null>> {
  if (names.length > ONE_BY_ONE) {
    const kinds = new Map<string, EntryKind>();
    for (const entry of await readWholeFolder(client, nodeFolder)) kinds.set(entry.basename, kindOf(entry));
    return async (name) => kinds.get(name.normalize('NFC')) ?? null;
  }
  const known = new Map<string, Promise<EntryKind | null>>();
  const prefix = nodeFolder.endsWith('/') ? nodeFolder : `${nodeFolder}/`;
  return (name) => {
    let kind = known.get(name);
    if (!kind) {
      kind = client.browse({ path: `${prefix}${name}`, count: 1 }).then(
        (result: BrowseResult): EntryKind => (result.self ? kindOf(result.self) : 'folder'),
        (error: unknown) => {
          if (error instanceof NodeApiError && error.kind === 'not_found') return null;
          throw error;
        },
      );
      known.set(name, kind);
    }
    return kind;
  };
}

/** `report (1).txt`, `report (2).txt`…, `Photos (1)`: the first that is free and not in `taken`. */
export async function freeName(name: string, isTaken: (candidate: string) => Promise<boolean>): Promise<string> {
  const dot = name.lastIndexOf('.');
  // A leading dot (".env") is a name, not an extension.
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 1; n <= 1000; n++) {
    const candidate = `${stem} (${n})${ext}`;
    if (!(await isTaken(candidate))) return candidate;
  }
  throw ERRORS.Conflict(`No free name was found beside ${name}; rename it before uploading.`);
}
