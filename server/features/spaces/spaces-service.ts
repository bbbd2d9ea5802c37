import type { Space, SpaceMember } from '../../../contract/spaces';
import type { User } from '../../../contract/session';
import type { Db } from '../../db/database';
import { ERRORS } from '../../errors';
import type { NodeClients } from '../nodes/node-clients';
import type { NodesRepository } from '../nodes/nodes-repository';
import type { SpaceAccess, SpaceGrant } from './space-access';
import { normalizeSpacePath } from './space-path';
import type { SpacesRepository } from './spaces-repository';

export function createSpacesService(deps: { db: Db; spaces: SpacesRepository; nodes: NodesRepository; clients: NodeClients; access: SpaceAccess }) {
  const { db, spaces, nodes, clients, access } = deps;

  const toSpace = (grant: SpaceGrant, user: User, owners: ReadonlyMap<string, string> = new Map()): Space => {
    const owner = grant.space.owner_user_id;
    // Every personal space is stored as "My files"; an admin seeing someone else's is told whose.
    const name = owner && owner !== user.id ? `${owners.get(owner) ?? 'Someone'}'s files` : grant.space.name;
    return { id: grant.space.id, name, personal: owner === user.id, role: grant.role };
  };

  /** Users' display names by id; ids with no user left are absent. */
  async function displayNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...new Set(ids)]).execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  /** Display names of the owners of others' personal spaces among these grants. */
  const ownersOf = (grants: SpaceGrant[], user: User) =>
    displayNames(grants.map((g) => g.space.owner_user_id).filter((id): id is string => id !== null && id !== user.id));

  return {
    /** The user's personal space on the default node, created on first use. */
    async ensurePersonalSpace(user: User): Promise<void> {
      if (await spaces.findPersonal(user.id)) return;
      const node = await nodes.defaultNode();
      if (!node) return;
      const rootPath = `/home/${user.username.toLowerCase()}`;
      await clients.ensureFolders(node.id, [rootPath]);
      await spaces.insertPersonal({ name: 'My files', node_id: node.id, root_path: rootPath, owner_user_id: user.id });
    },

    async list(user: User): Promise<Space[]> {
      try {
        await this.ensurePersonalSpace(user);
      } catch {
        // The default node is down: list the spaces we have; the personal one comes next time.
      }
      const grants = await access.visibleSpaces(user);
      const owners = await ownersOf(grants, user);
      // Own personal space first (visibleSpaces' order), then shared ones, then other people's.
      const othersPersonal = (g: SpaceGrant) => Number(g.space.owner_user_id !== null && g.space.owner_user_id !== user.id);
      const named = grants.map((g) => ({ g, space: toSpace(g, user, owners) }));
      return named
        .sort((a, b) => othersPersonal(a.g) - othersPersonal(b.g) || (othersPersonal(a.g) ? a.space.name.localeCompare(b.space.name) : 0))
        .map((n) => n.space);
    },

    async get(user: User, spaceId: string): Promise<Space> {
      const grant = await access.roleIn(user, spaceId);
      if (!grant) throw ERRORS.SpaceNotFound();
      return toSpace(grant, user, await ownersOf([grant], user));
    },

    async create(user: User, input: { name: string; nodeId?: string; rootPath?: string }): Promise<Space> {
      if (!user.isAdmin) throw ERRORS.Forbidden('create spaces');
      const node = input.nodeId ? await nodes.findRow(input.nodeId) : await nodes.defaultNode();
      if (!node) throw ERRORS.NodeNotFound();
      const rootPath = normalizeSpacePath(input.rootPath ?? `/spaces/${slug(input.name)}`);
      if (rootPath === '/') throw ERRORS.InvalidPath(rootPath, 'is the whole node; give a space its own folder');
      await clients.ensureFolders(node.id, [rootPath]);
      const space = await spaces.insert({ name: input.name, node_id: node.id, root_path: rootPath, owner_user_id: null });
      return toSpace({ space, role: 'manager' }, user);
    },

    async members(user: User, spaceId: string): Promise<SpaceMember[]> {
      await access.authorize(user, spaceId, 'manageMembers', 'members');
      const rows = await spaces.members(spaceId);
      const userIds = rows.filter((r) => r.principal_type === 'user').map((r) => r.principal_id);
      const groupIds = rows.filter((r) => r.principal_type === 'group').map((r) => r.principal_id);
      const users = await displayNames(userIds);
      const groups = groupIds.length ? await db.selectFrom('groups').select(['id', 'name']).where('id', 'in', groupIds).execute() : [];
      const names = new Map<string, string>([...[...users].map(([id, name]) => [`user:${id}`, name] as const), ...groups.map((g) => [`group:${g.id}`, g.name] as const)]);
      return rows.map((r) => ({ principalType: r.principal_type, principalId: r.principal_id, role: r.role, name: names.get(`${r.principal_type}:${r.principal_id}`) ?? '(deleted)' }));
    },

    async putMember(user: User, spaceId: string, member: Pick<SpaceMember, 'principalType' | 'principalId' | 'role'>): Promise<SpaceMember[]> {
      await access.authorize(user, spaceId, 'manageMembers', `${member.principalType}:${member.principalId}`);
      const table = member.principalType === 'user' ? 'users' : 'groups';
      const exists = await db.selectFrom(table).select('id').where('id', '=', member.principalId).executeTakeFirst();
      if (!exists) throw ERRORS.Validation(`No ${member.principalType} with id ${member.principalId}.`);
      await spaces.putMember({ space_id: spaceId, principal_type: member.principalType, principal_id: member.principalId, role: member.role });
      return this.members(user, spaceId);
    },

    async removeMember(user: User, spaceId: string, principalType: 'user' | 'group', principalId: string): Promise<void> {
      await access.authorize(user, spaceId, 'manageMembers', `${principalType}:${principalId}`);
      if (!(await spaces.removeMember(spaceId, principalType, principalId))) throw ERRORS.NotFound('This member');
    },
  };
}

export type SpacesService = ReturnType<typeof createSpacesService>;

function slug(name: string): string {
  const s = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
  return s || 'space';
}
