import { ROLES, type Role } from '../../../contract/roles';
import type { User } from '../../../contract/session';
import { generateTokenKeyPair, signBearerToken } from '../../lib/bearer-token';
import { NodeApiError } from '../../node-client/node-api-error';
import { createNodeClient, type NodeClient } from '../../node-client/node-client';
import type { FileIdEntry, PathResult } from '../../node-client/types';
import type { SpaceRow, SpacesRepository } from '../spaces/spaces-repository';
import { createA3FileIds, MAX_FOLDER_ENTRIES, PAGE, type A3Node } from './a3-file-ids';
import { nodeFailure } from './node-clients';
import type { NodeConnectionInfo, NodesRepository } from './nodes-repository';

/**
 * A3 (docs/node-api.md §6.5): on a node registered with an access key and the portal's signing key,
 * each space's members and roles are mirrored as node permissions on the space's folder, and a
 * user browses and transfers with a bearer token of their own (`user:all`), so the node itself
 * holds them to what their role allows. The portal acts on permissions with an admin-scope token.
 */

/** The group every portal admin's token names: admins manage every space (contract/roles.ts). */
export const ADMINS_GROUP = 'courier-admins';
/** The user id of the portal's own admin-scope tokens. */
const PORTAL_USER = 'courier-portal';
const ADMIN_TOKEN_LIFE_SECONDS = 300;

/** What each role may do on the node, as docs/node-api.md §6.5 maps it. */
export const ROLE_LEVELS: Record<Role, string[]> = {
  viewer: ['list', 'preview', 'read'],
  contributor: ['list', 'mkdir', 'preview', 'read', 'rename', 'write'],
  manager: ['delete', 'list', 'mkdir', 'preview', 'read', 'rename', 'write'],
};

export type A3Sort = 'path' | 'type' | 'size_a' | 'size_d' | 'mtime_a' | 'mtime_d';

export interface A3Deps {
  nodes: NodesRepository;
  spaces: Pick<SpacesRepository, 'find' | 'members' | 'listAll'>;
  groupIdsOf: (userId: string) => Promise<string[]>;
  tokenLifeSeconds: () => number;
}

export function createA3Access(deps: A3Deps) {
  const { nodes, spaces, groupIdsOf, tokenLifeSeconds } = deps;
  const syncs = new Map<string, Promise<void>>();

  const bearerClient = (node: NodeConnectionInfo, token: string): NodeClient =>
    createNodeClient({ url: node.url, auth: { type: 'bearer', accessKey: node.username, token }, verifyTls: node.verifyTls });

  function adminClient(node: A3Node): NodeClient {
    const token = signBearerToken(node.tokenKey, {
      accessKey: node.username,
      userId: PORTAL_USER,
      scope: 'admin:all',
      lifeSeconds: ADMIN_TOKEN_LIFE_SECONDS,
    });
    return bearerClient(node, token);
  }

  const { fileIdOf, entriesOf } = createA3FileIds(adminClient);

  /** The node's connection when it uses A3, else null. */
  async function a3Node(nodeId: string): Promise<A3Node | null> {
    const node = await nodes.connection(nodeId);
    return node ? asA3(node) : null;
  }

  /** A fresh user-scope token for `user`: their id, their groups, and the admins' group for an admin. */
  async function userToken(node: A3Node, user: User): Promise<string> {
    const groupIds = [...(await groupIdsOf(user.id)), ...(user.isAdmin ? [ADMINS_GROUP] : [])];
    return signBearerToken(node.tokenKey, {
      accessKey: node.username,
      userId: user.id,
      groupIds,
      scope: 'user:all',
      lifeSeconds: tokenLifeSeconds(),
    });
  }

  /** The permissions a space should have on its folder: members, its owner, and the admins, each at their highest role. */
  async function desired(space: SpaceRow): Promise<Map<string, { type: 'user' | 'group'; id: string; levels: string[] }>> {
    const roles = new Map<string, { type: 'user' | 'group'; id: string; role: Role }>();
    const put = (type: 'user' | 'group', id: string, role: Role) => {
      const seen = roles.get(`${type}:${id}`);
      if (!seen || ROLES.indexOf(role) > ROLES.indexOf(seen.role)) roles.set(`${type}:${id}`, { type, id, role });
    };
    for (const m of await spaces.members(space.id)) put(m.principal_type, m.principal_id, m.role);
    if (space.owner_user_id) put('user', space.owner_user_id, 'manager');
    put('group', ADMINS_GROUP, 'manager');
    return new Map([...roles].map(([key, r]) => [key, { type: r.type, id: r.id, levels: [...ROLE_LEVELS[r.role]].sort() }]));
  }

  async function syncNow(space: SpaceRow, keep: boolean): Promise<void> {
    const node = await a3Node(space.node_id);
    if (!node) return;
    try {
      const rootId = await fileIdOf(node, space.root_path);
      const admin = adminClient(node);
      const want = keep ? await desired(space) : new Map();
      const satisfied = new Set<string>();
      for (const p of await admin.permissionsOn(rootId)) {
        const key = `${p.access_type}:${p.access_id}`;
        const wanted = want.get(key);
        if (wanted && !satisfied.has(key) && [...p.access_levels].sort().join() === wanted.levels.join()) satisfied.add(key);
        else await admin.deletePermission(p.id);
      }
      for (const [key, w] of want) {
        if (satisfied.has(key)) continue;
        await admin.createPermission({ fileId: rootId, accessType: w.type, accessId: w.id, accessLevels: w.levels });
      }
    } catch (error) {
      throw nodeFailure(node.name, error);
    }
  }

  /** One sync at a time per space, so two member changes never race on the node. */
  function queue(spaceId: string, run: () => Promise<void>): Promise<void> {
    const next = (syncs.get(spaceId) ?? Promise.resolve()).then(run);
    const settled = next.catch(() => undefined);
    syncs.set(spaceId, settled);
    void settled.then(() => {
      if (syncs.get(spaceId) === settled) syncs.delete(spaceId);
    });
    return next;
  }

  return {
    /** A node client acting as `user` with their own bearer token when the node uses A3; null otherwise. */
    async userClient(connection: NodeConnectionInfo, user: User): Promise<NodeClient | null> {
      const node = asA3(connection);
      return node ? bearerClient(node, await userToken(node, user)) : null;
    },

    /**
     * One page of a folder as `user` sees it through their token: the node refuses (403) a user
     * without `list` there. The file-id API sorts by name only, so another order or a filter
     * reads the folder whole (bounded) and orders it here.
     */
    async listFolder(
      connection: NodeConnectionInfo,
      user: User,
      nodePath: string,
      query: { skip: number; count: number; sort: A3Sort; filter?: string | undefined },
    ): Promise<{ entries: FileIdEntry[]; totalCount: number }> {
      const node = need(connection);
      const folderId = await fileIdOf(node, nodePath);
      const client = bearerClient(node, await userToken(node, user));
      if (query.sort === 'path' && !query.filter && query.skip % query.count === 0) {
        const { entries, totalCount } = await client.filesOf(folderId, { page: query.skip / query.count + 1, perPage: query.count });
        return { entries, totalCount: totalCount ?? query.skip + entries.length };
      }
      const all: FileIdEntry[] = [];
      for (let page = 1; ; page += 1) {
        const { entries } = await client.filesOf(folderId, { page, perPage: PAGE });
        all.push(...entries);
        if (entries.length < PAGE || all.length >= MAX_FOLDER_ENTRIES) break;
      }
      const needle = query.filter?.normalize('NFC').toLowerCase();
      const matching = needle ? all.filter((e) => e.name.normalize('NFC').toLowerCase().includes(needle)) : all;
      matching.sort(order(query.sort));
      return { entries: matching.slice(query.skip, query.skip + query.count), totalCount: matching.length };
    },

    /**
     * New folder, rename and delete as `user` (docs/node-api.md §6.5): the file-id API under their own
     * token, so the node holds them to their role too; ids are found with the portal's admin token.
     */
    async createFolder(connection: NodeConnectionInfo, user: User, parentPath: string, name: string): Promise<void> {
      const node = need(connection);
      const parentId = await fileIdOf(node, parentPath);
      await bearerClient(node, await userToken(node, user)).createFolderIn(parentId, name);
    },

    async rename(connection: NodeConnectionInfo, user: User, nodePath: string, newName: string): Promise<void> {
      const node = need(connection);
      const [parent, name] = splitLast(nodePath);
      const id = (await entriesOf(node, await fileIdOf(node, parent))).get(name);
      if (id === undefined) throw new NodeApiError('not_found', `No ${nodePath} on the node`, 404, 'not found');
      await bearerClient(node, await userToken(node, user)).renameById(id, newName);
    },

    /** One result per path, as `/files/delete` answers; a refusal of the person (403) is thrown whole. */
    async deletePaths(connection: NodeConnectionInfo, user: User, nodePaths: string[]): Promise<PathResult[]> {
      const node = need(connection);
      const client = bearerClient(node, await userToken(node, user));
      const folders = new Map<string, Map<string, string>>();
      const results: PathResult[] = [];
      for (const nodePath of nodePaths) {
        const [parent, name] = splitLast(nodePath);
        try {
          let ids = folders.get(parent);
          if (!ids) folders.set(parent, (ids = await entriesOf(node, await fileIdOf(node, parent))));
          const id = ids.get(name);
          if (id === undefined) throw new NodeApiError('not_found', `No ${nodePath} on the node`, 404, 'not found');
          await client.deleteById(id);
          results.push({ path: nodePath, ok: true });
        } catch (error) {
          if (!(error instanceof NodeApiError) || (error.kind !== 'not_found' && error.kind !== 'conflict')) throw error;
          results.push({ path: nodePath, ok: false, error: { status: error.status, message: error.nodeMessage ?? error.message } });
        }
      }
      return results;
    },

    /** Brings the node's permissions on a space's folder to its members and roles now. */
    syncSpace(spaceId: string): Promise<void> {
      return queue(spaceId, async () => {
        const space = await spaces.find(spaceId);
        if (space) await syncNow(space, true);
      });
    },

    /** A space is going: no permission on its folder outlives it (its files may be kept). */
    clearSpace(space: SpaceRow): Promise<void> {
      return queue(space.id, () => syncNow(space, false));
    },

    /** Every space of a node, when A3 is turned on for it. */
    async syncNode(nodeId: string): Promise<void> {
      for (const space of await spaces.listAll()) if (space.node_id === nodeId) await this.syncSpace(space.id);
    },

    /** A new signing key pair for a node; the private half is sealed by the repository. */
    newKeyPair: generateTokenKeyPair,
  };
}

export type A3Access = ReturnType<typeof createA3Access>;

function need(connection: NodeConnectionInfo): A3Node {
  const node = asA3(connection);
  if (!node) throw new Error('not an A3 node');
  return node;
}

/** `/a/b/c` → [`/a/b`, `c`], the name in NFC as entriesOf keys it. */
function splitLast(nodePath: string): [string, string] {
  const at = nodePath.lastIndexOf('/');
  return [at <= 0 ? '/' : nodePath.slice(0, at), nodePath.slice(at + 1).normalize('NFC')];
}

/** The node with its signing key when it uses A3 (an access key and the portal's key), else null. */
export function asA3(node: NodeConnectionInfo): A3Node | null {
  return node.authType === 'access_key' && node.tokenKey !== null ? { ...node, tokenKey: node.tokenKey } : null;
}

function order(sort: A3Sort): (a: FileIdEntry, b: FileIdEntry) => number {
  const byName = (a: FileIdEntry, b: FileIdEntry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const folderFirst = (a: FileIdEntry, b: FileIdEntry) => Number(b.type === 'folder') - Number(a.type === 'folder');
  const time = (e: FileIdEntry) => (e.modifiedTime ? Date.parse(e.modifiedTime) : 0);
  switch (sort) {
    case 'type':
      return (a, b) => folderFirst(a, b) || byName(a, b);
    case 'size_a':
      return (a, b) => a.size - b.size || byName(a, b);
    case 'size_d':
      return (a, b) => b.size - a.size || byName(a, b);
    case 'mtime_a':
      return (a, b) => time(a) - time(b) || byName(a, b);
    case 'mtime_d':
      return (a, b) => time(b) - time(a) || byName(a, b);
    default:
      return byName;
  }
}
