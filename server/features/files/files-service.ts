import type { FolderPage, NameConflict, PathResult } from '../../../contract/files';
import type { User } from '../../../contract/session';
import { baseName, parentOf } from '../../../contract/space-path';
import type { AppError } from '../../errors';
import { ERRORS } from '../../errors';
import { NodeApiError } from '../../node-client/node-api-error';
import type { BrowseEntry, BrowseSort, ItemError, PathResult as NodePathResult } from '../../node-client/types';
import { asA3, type A3Access } from '../nodes/a3-access';
import { nodeFailure, type NodeClients } from '../nodes/node-clients';
import type { SpaceAccess } from '../spaces/space-access';
import { fromNodePath, spaceToNodePath, validateName } from '../spaces/space-path';
import { folderLookup, freeName, readWholeFolder } from './folder-names';

/** Paths per `/files/delete` call, the embedded node's bound (docs/node-api.md §3). */
const MAX_NODE_PATHS = 1000;

const SORTS: Record<string, BrowseSort> = {
  name: 'path',
  type: 'type',
  size_asc: 'size_a',
  size_desc: 'size_d',
  mtime_asc: 'mtime_a',
  mtime_desc: 'mtime_d',
};

/**
 * File operations in a space: normalize and confine the path, check the role, then call the node.
 * The node sees only node paths under the space's root; the caller sees only space paths.
 */
export function createFilesService(deps: { access: SpaceAccess; clients: NodeClients; a3?: A3Access }) {
  const { access, clients, a3 } = deps;

  const confine = access.confine;

  /** "All of this folder", for a delete: its entries as the node lists them now, never the browser's list. */
  async function wholeFolder(user: User, spaceId: string, rawFolder: string, rawExcept: string[]): Promise<string[]> {
    const folder = await confine(user, spaceId, 'delete', rawFolder);
    const except = new Set<string>();
    for (const raw of rawExcept) except.add(await confine(user, spaceId, 'delete', raw));
    const { space } = await access.authorize(user, spaceId, 'delete', folder);
    const { node, client } = await clients.forNode(space.node_id);
    const entries = await readWholeFolder(client, spaceToNodePath(space.root_path, folder)).catch((error: unknown) => {
      throw nodeFailure(node.name, error);
    });
    return entries.flatMap((entry) => fromNodePath(space.root_path, entry.path) ?? []).filter((path) => !except.has(path));
  }

  /**
   * A3 (docs/node-api.md §6.5): `run` acts with the person's own token, so the node checks their role
   * too. A 403 for someone the portal lets in means the mirror is behind (a node that was down during
   * a change): bring it to the portal's roles once and ask again.
   */
  const asPerson = <T>(spaceId: string, run: () => Promise<T>): Promise<T> =>
    run().catch(async (error: unknown) => {
      if (!a3 || !(error instanceof NodeApiError) || error.kind !== 'forbidden') throw error;
      await a3.syncSpace(spaceId);
      return run();
    });

  return {
    async listFolder(
      user: User,
      spaceId: string,
      query: { path: string; skip: number; count: number; sort: string; filter?: string | undefined },
    ): Promise<FolderPage> {
      const path = await confine(user, spaceId, 'list', query.path);
      const { space } = await access.authorize(user, spaceId, 'list', path);
      const { node, client } = await clients.forNode(space.node_id);
      const nodePath = spaceToNodePath(space.root_path, path);
      const sort = SORTS[query.sort] ?? 'path';
      const fail = (error: unknown): never => {
        throw nodeFailure(node.name, error, { notFound: () => ERRORS.FolderNotFound(path) });
      };
      if (a3 && asA3(node)) {
        const page = await asPerson(space.id, () => a3.listFolder(node, user, nodePath, { ...query, sort })).catch(fail);
        const child = (name: string) => (path === '/' ? `/${name}` : `${path}/${name}`);
        const items = page.entries.map((e) => ({
          name: e.name,
          path: child(e.name),
          type: e.type === 'folder' ? ('folder' as const) : e.type === 'link' ? ('link' as const) : ('file' as const),
          size: e.size,
          modifiedAt: e.modifiedTime,
        }));
        return { path, items, skip: query.skip, totalCount: page.totalCount };
      }
      const result = await client
        .browse({ path: nodePath, skip: query.filter ? 0 : query.skip, count: query.filter ? 1 : query.count, sort })
        .catch(fail);
      if (result.self && result.self.type !== 'directory') throw ERRORS.FolderNotFound(path);
      if (query.filter) {
        // The Node API has no name filter (docs/node-api.md §3): the folder is read whole, bounded.
        const needle = query.filter.normalize('NFC').toLowerCase();
        const matching = (await readWholeFolder(client, nodePath, sort).catch(fail)).filter((entry) =>
          entry.basename.normalize('NFC').toLowerCase().includes(needle),
        );
        const items = matching.slice(query.skip, query.skip + query.count).flatMap((entry) => toFileEntry(space.root_path, entry));
        return { path, items, skip: query.skip, totalCount: matching.length };
      }
      const items = result.items.flatMap((entry) => toFileEntry(space.root_path, entry));
      return { path, items, skip: query.skip, totalCount: result.totalCount ?? query.skip + items.length };
    },

    async createFolder(user: User, spaceId: string, rawPath: string): Promise<{ path: string }> {
      const path = await confine(user, spaceId, 'mkdir', rawPath);
      if (path === '/') throw ERRORS.NameTaken('/');
      validateName(baseName(path));
      const { space } = await access.authorize(user, spaceId, 'mkdir', path);
      const { node, client } = await clients.forNode(space.node_id);
      const fail = (error: unknown): never => {
        throw nodeFailure(node.name, error, {
          conflict: () => ERRORS.NameTaken(path),
          notFound: () => ERRORS.FolderNotFound(parentOf(path)),
        });
      };
      if (a3 && asA3(node)) {
        const parent = spaceToNodePath(space.root_path, parentOf(path));
        await asPerson(space.id, () => a3.createFolder(node, user, parent, baseName(path))).catch(fail);
        return { path };
      }
      const [result] = await client.createFolders([spaceToNodePath(space.root_path, path)]).catch(fail);
      if (result && !result.ok) throw itemFailure(node.name, path, result.error);
      return { path };
    },

    async rename(user: User, spaceId: string, rawPath: string, newName: string): Promise<{ path: string }> {
      const path = await confine(user, spaceId, 'rename', rawPath);
      if (path === '/') throw ERRORS.Forbidden('rename the root of a space');
      const name = validateName(newName);
      const { space } = await access.authorize(user, spaceId, 'rename', path);
      const { node, client } = await clients.forNode(space.node_id);
      const parent = parentOf(path);
      const destination = parent === '/' ? `/${name}` : `${parent}/${name}`;
      const fail = (error: unknown): never => {
        throw nodeFailure(node.name, error, { conflict: () => ERRORS.NameTaken(destination), notFound: () => ERRORS.PathNotFound(path) });
      };
      if (a3 && asA3(node)) {
        await asPerson(space.id, () => a3.rename(node, user, spaceToNodePath(space.root_path, path), name)).catch(fail);
        return { path: destination };
      }
      const [result] = await client
        .rename([{ parent: spaceToNodePath(space.root_path, parent), source: baseName(path), destination: name }])
        .catch(fail);
      if (result && !result.ok) throw itemFailure(node.name, path, result.error, destination);
      return { path: destination };
    },

    /**
     * Which of `names` exist in `folder`, each with a free name beside it for "keep both"; a free
     * name is also never one of `names`, so two kept files cannot land on the same name.
     */
    async nameConflicts(user: User, spaceId: string, rawFolder: string, rawNames: string[]): Promise<NameConflict[]> {
      const folder = await confine(user, spaceId, 'list', rawFolder);
      const names = [...new Set(rawNames.map((name) => validateName(name)))];
      const { space } = await access.authorize(user, spaceId, 'list', folder);
      const { node, client } = await clients.forNode(space.node_id);
      const asked = new Set(names);
      const chosen = new Set<string>();
      const conflicts: NameConflict[] = [];
      try {
        const lookup = await folderLookup(client, spaceToNodePath(space.root_path, folder), names);
        for (const name of names) {
          const type = await lookup(name);
          if (!type) continue;
          const free = await freeName(name, async (c) => asked.has(c) || chosen.has(c) || (await lookup(c)) !== null);
          chosen.add(free);
          conflicts.push({ name, type, freeName: free });
        }
      } catch (error) {
        throw nodeFailure(node.name, error);
      }
      return conflicts;
    },

    async deletePaths(
      user: User,
      spaceId: string,
      request: { paths: string[]; allOf?: string | undefined; except?: string[] | undefined },
    ): Promise<PathResult[]> {
      const paths: string[] = [];
      if (request.allOf !== undefined) paths.push(...(await wholeFolder(user, spaceId, request.allOf, request.except ?? [])));
      if (request.allOf !== undefined && paths.length === 0) throw ERRORS.BadRequest('Nothing is left to delete in this folder.');
      for (const raw of request.paths) paths.push(await confine(user, spaceId, 'delete', raw));
      if (paths.includes('/')) throw ERRORS.Forbidden('delete the root of a space');
      const { space } = await access.authorize(user, spaceId, 'delete', paths.join('\n'));
      const { node, client } = await clients.forNode(space.node_id);
      const fail = (error: unknown): never => {
        throw nodeFailure(node.name, error);
      };
      const nodePaths = paths.map((p) => spaceToNodePath(space.root_path, p));
      const results: NodePathResult[] = [];
      if (a3 && asA3(node)) {
        results.push(...(await asPerson(space.id, () => a3.deletePaths(node, user, nodePaths)).catch(fail)));
      } else {
        // One delete call names at most MAX_NODE_PATHS (docs/node-api.md §3).
        for (let i = 0; i < nodePaths.length; i += MAX_NODE_PATHS)
          results.push(...(await client.deletePaths(nodePaths.slice(i, i + MAX_NODE_PATHS)).catch(fail)));
      }
      return results.map((result, i) => {
        const path = paths[i] ?? result.path;
        if (result.ok) return { path, ok: true };
        const failure = itemFailure(node.name, path, result.error);
        return { path, ok: false, error: { code: failure.code, message: failure.message } };
      });
    },
  };
}

export type FilesService = ReturnType<typeof createFilesService>;

function toFileEntry(rootPath: string, entry: BrowseEntry) {
  const path = fromNodePath(rootPath, entry.path);
  if (path === null) return []; // a node answering outside the space is never shown
  const type = entry.type === 'directory' ? 'folder' : entry.type === 'symbolic_link' ? 'link' : 'file';
  return [{ name: entry.basename, path, type, size: entry.size, modifiedAt: entry.mtime } as const];
}

/** A per-item error from the node (HTTP 200 with an error inside) as one of ours. */
function itemFailure(nodeName: string, path: string, error: ItemError, destination?: string): AppError {
  if (error.status === 409) return ERRORS.NameTaken(destination ?? path);
  if (error.status === 404) return ERRORS.PathNotFound(path);
  if (error.status === 403 || error.status === 400) return ERRORS.NodeDeclined(nodeName, error.status, error.message || `refused ${path}`);
  return ERRORS.NodeRefused(nodeName, error.message);
}
