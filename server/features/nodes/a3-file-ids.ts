/**
 * Folder paths to file ids on an A3 node (docs/node-api.md §6.3, §6.5): the file-id API names a
 * folder by id, the portal by path below the access key's root. Ids are read with the portal's
 * admin token and remembered, each checked before use.
 */
import { NodeApiError } from '../../node-client/node-api-error';
import type { NodeClient } from '../../node-client/node-client';
import type { FileIdEntry } from '../../node-client/types';
import type { NodeConnectionInfo } from './nodes-repository';

/** A page of the file-id API as large as the node gives (docs/node-api.md §6.3). */
export const PAGE = 1000;
/** A bound on the work one listing may cause, as readWholeFolder's. */
export const MAX_FOLDER_ENTRIES = 100_000;
/** Folder ids remembered per portal; cleared whole when full (ids are checked before use anyway). */
const MAX_CACHED_IDS = 10_000;

/** A node that uses A3: its connection with the portal's signing key. */
export type A3Node = NodeConnectionInfo & { tokenKey: string };

export function createA3FileIds(adminClient: (node: A3Node) => NodeClient) {
  const ids = new Map<string, string>();

  /**
   * The file id of a folder given by its path below the key's root. Ids are stable on the node
   * (docs/node-api.md §6.3), but a rename moves one to another path: a remembered id is used only
   * once the node says it still names this path; else the path is walked from the key's root.
   */
  async function fileIdOf(node: A3Node, nodePath: string): Promise<string> {
    const admin = adminClient(node);
    const cacheKey = `${node.id}\n${nodePath}`;
    const known = ids.get(cacheKey);
    if (known !== undefined) {
      const entry = await admin.fileById(known).catch((error: unknown) => {
        if (error instanceof NodeApiError && error.kind === 'not_found') return null;
        throw error;
      });
      if (entry && entry.path === nodePath) return known;
      ids.delete(cacheKey);
    }
    const rootKey = `${node.id}\n/`;
    let id = ids.get(rootKey);
    if (id === undefined) {
      const self = await admin.accessKeySelf();
      if (self.root_file_id === undefined) throw new NodeApiError('bad_response', 'The node gave no root_file_id for the access key');
      id = String(self.root_file_id);
    }
    remember(rootKey, id);
    const segments = nodePath.split('/').filter(Boolean);
    for (let depth = 0; depth < segments.length; depth += 1) {
      const name = (segments[depth] as string).normalize('NFC');
      const path = `/${segments.slice(0, depth + 1).join('/')}`;
      let found: FileIdEntry | undefined;
      for (let page = 1; !found; page += 1) {
        const { entries } = await admin.filesOf(id, { page, perPage: PAGE });
        found = entries.find((e) => e.name.normalize('NFC') === name);
        if (entries.length < PAGE || page * PAGE >= MAX_FOLDER_ENTRIES) break;
      }
      if (!found || found.type !== 'folder') throw new NodeApiError('not_found', `No folder ${path} on the node`, 404, 'not found');
      id = found.id;
      remember(`${node.id}\n${path}`, id);
    }
    return id;
  }

  /** The ids of a folder's entries by name, read with the admin token (bounded as a listing). */
  async function entriesOf(node: A3Node, folderId: string): Promise<Map<string, string>> {
    const admin = adminClient(node);
    const byName = new Map<string, string>();
    for (let page = 1; ; page += 1) {
      const { entries } = await admin.filesOf(folderId, { page, perPage: PAGE });
      for (const e of entries) byName.set(e.name.normalize('NFC'), e.id);
      if (entries.length < PAGE || page * PAGE >= MAX_FOLDER_ENTRIES) return byName;
    }
  }

  function remember(key: string, id: string): void {
    if (ids.size >= MAX_CACHED_IDS) ids.clear();
    ids.set(key, id);
  }

  return { fileIdOf, entriesOf };
}
