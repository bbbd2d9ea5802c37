import type { FolderPage, PathResult } from '../../../contract/files';
import type { User } from '../../../contract/session';
import { baseName, parentOf } from '../../../contract/space-path';
import type { AppError } from '../../errors';
import { ERRORS } from '../../errors';
import type { BrowseEntry, BrowseSort, ItemError } from '../../node-client/types';
import { nodeFailure, type NodeClients } from '../nodes/node-clients';
import type { SpaceAccess } from '../spaces/space-access';
import { fromNodePath, spaceToNodePath, validateName } from '../spaces/space-path';

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
export function createFilesService(deps: { access: SpaceAccess; clients: NodeClients }) {
  const { access, clients } = deps;

  const confine = access.confine;

  return {
    async listFolder(user: User, spaceId: string, query: { path: string; skip: number; count: number; sort: string }): Promise<FolderPage> {
      const path = await confine(user, spaceId, 'list', query.path);
      const { space } = await access.authorize(user, spaceId, 'list', path);
      const { node, client } = await clients.forNode(space.node_id);
      const result = await client
        .browse({ path: spaceToNodePath(space.root_path, path), skip: query.skip, count: query.count, sort: SORTS[query.sort] ?? 'path' })
        .catch((error: unknown) => {
          throw nodeFailure(node.name, error, { notFound: () => ERRORS.FolderNotFound(path) });
        });
      if (result.self && result.self.type !== 'directory') throw ERRORS.FolderNotFound(path);
      const items = result.items.flatMap((entry) => toFileEntry(space.root_path, entry));
      return { path, items, skip: query.skip, totalCount: result.totalCount ?? query.skip + items.length };
    },

    async createFolder(user: User, spaceId: string, rawPath: string): Promise<{ path: string }> {
      const path = await confine(user, spaceId, 'mkdir', rawPath);
      if (path === '/') throw ERRORS.NameTaken('/');
      validateName(baseName(path));
      const { space } = await access.authorize(user, spaceId, 'mkdir', path);
      const { node, client } = await clients.forNode(space.node_id);
      const [result] = await client.createFolders([spaceToNodePath(space.root_path, path)]).catch((error: unknown) => {
        throw nodeFailure(node.name, error, {
          conflict: () => ERRORS.NameTaken(path),
          notFound: () => ERRORS.FolderNotFound(parentOf(path)),
        });
      });
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
      const [result] = await client
        .rename([{ parent: spaceToNodePath(space.root_path, parent), source: baseName(path), destination: name }])
        .catch((error: unknown) => {
          throw nodeFailure(node.name, error, { conflict: () => ERRORS.NameTaken(destination), notFound: () => ERRORS.PathNotFound(path) });
        });
      if (result && !result.ok) throw itemFailure(node.name, path, result.error, destination);
      return { path: destination };
    },

    async deletePaths(user: User, spaceId: string, rawPaths: string[]): Promise<PathResult[]> {
      const paths: string[] = [];
      for (const raw of rawPaths) paths.push(await confine(user, spaceId, 'delete', raw));
      if (paths.includes('/')) throw ERRORS.Forbidden('delete the root of a space');
      const { space } = await access.authorize(user, spaceId, 'delete', paths.join('\n'));
      const { node, client } = await clients.forNode(space.node_id);
      const results = await client.deletePaths(paths.map((p) => spaceToNodePath(space.root_path, p))).catch((error: unknown) => {
        throw nodeFailure(node.name, error);
      });
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
