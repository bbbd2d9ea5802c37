import type { AdminSpacesPage, MemberCandidate, Space, SpaceMember, SpaceRootConflict } from '../../../contract/spaces';
import type { User } from '../../../contract/session';
import { sql } from 'kysely';
import type { Db } from '../../db/database';
import { ERRORS } from '../../errors';
import type { AuditLog } from '../audit/audit-log';
import type { A3Access } from '../nodes/a3-access';
import { nodeFailure, type NodeClients } from '../nodes/node-clients';
import type { NodesRepository } from '../nodes/nodes-repository';
import type { SpaceAccess, SpaceGrant } from './space-access';
import { findRootConflicts, generatedRoot, overlapping, personalRoot, sharedRootFrom, spaceNameKey } from './space-root';
import type { PlacedSpaceRow, SpacesRepository } from './spaces-repository';

export function createSpacesService(deps: {
  db: Db;
  spaces: SpacesRepository;
  nodes: NodesRepository;
  clients: NodeClients;
  access: SpaceAccess;
  audit: AuditLog;
  /** A3 nodes: roles are mirrored as node permissions on each change (docs/node-api.md §6.5). */
  a3?: A3Access;
}) {
  const { db, spaces, nodes, clients, access, audit, a3 } = deps;

  /** Refuses a non-admin, writing the denial to the audit log; `what` finishes "You are not allowed to …". */
  async function requireAdmin(user: User, action: string, spaceId: string | null, what: string): Promise<void> {
    if (user.isAdmin) return;
    await audit.record({ userId: user.id, action, spaceId, target: null, decision: 'deny', reason: 'not an admin' });
    throw ERRORS.Forbidden(what);
  }

  const toSpace = (grant: SpaceGrant, user: User, owners: ReadonlyMap<string, string> = new Map()): Space => {
    const owner = grant.space.owner_user_id;
    // Every personal space is stored as "My files"; an admin seeing someone else's is told whose.
    const name = owner && owner !== user.id ? `${owners.get(owner) ?? 'Someone'}'s files` : grant.space.name;
    return { id: grant.space.id, name, personal: owner === user.id, role: grant.role };
  };

  /** Users' display names by id; ids with no user left are absent. */
  async function displayNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  /** Display names of the owners of others' personal spaces among these grants. */
  const ownersOf = (grants: SpaceGrant[], user: User) =>
    displayNames(grants.map((g) => g.space.owner_user_id).filter((id): id is string => id !== null && id !== user.id));

  return {
    /**
     * The user's personal space on the default node, created on first use at /home/<username>, or
     * at /home/<username>-<id> when that folder already belongs to a shared space made before
     * shared roots under /home were refused.
     */
    async ensurePersonalSpace(user: User): Promise<void> {
      if (await spaces.findPersonal(user.id)) return;
      const node = await nodes.defaultNode();
      if (!node) return;
      const placed = await spaces.placed();
      let rootPath = personalRoot(user.username);
      if (overlapping(placed, node.id, rootPath)) rootPath = personalRoot(user.username, true);
      const admit = (all: PlacedSpaceRow[]) => {
        if (all.some((s) => s.owner_user_id === user.id)) return null;
        refuseOverlap(all, node.id, rootPath);
        return { name: 'My files', node_id: node.id, root_path: rootPath, owner_user_id: user.id };
      };
      admit(placed);
      await clients.ensureFolders(node.id, [rootPath]);
      const created = await spaces.insertChecked(node.id, admit);
      // The owner's permission on an A3 node; a failure here is repaired when they first list it.
      if (created) await a3?.syncSpace(created.id).catch(() => undefined);
    },

    async list(user: User): Promise<Space[]> {
      try {
        await this.ensurePersonalSpace(user);
      } catch {
        // The default node is down, or a space from before holds /home itself (listed for the admin
        // in /api/admin/space-conflicts): list the spaces we have; the personal one comes later.
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

    /**
     * A shared space. Names are unique among shared spaces after folding case, width and invisible
     * characters (spaceNameKey): two spaces called "Finance" and "FINANCE" cannot be told apart in
     * a list. Its folder is the admin's `rootPath` or a generated one, and must not equal, contain or
     * lie inside any other space's folder on the node.
     */
    async create(user: User, input: { name: string; nodeId?: string; rootPath?: string }): Promise<Space> {
      if (!user.isAdmin) {
        await audit.record({ userId: user.id, action: 'space.create', target: input.name, decision: 'deny', reason: 'not an admin' });
        throw ERRORS.Forbidden('create spaces');
      }
      const node = input.nodeId ? await nodes.findRow(input.nodeId) : await nodes.defaultNode();
      if (!node) throw ERRORS.NodeNotFound();
      const nameKey = spaceNameKey(input.name);
      if (nameKey === '') throw ERRORS.Validation('Enter a name with at least one visible character.');
      const placed = await spaces.placed();
      let rootPath = input.rootPath === undefined ? generatedRoot(input.name) : sharedRootFrom(input.rootPath);
      // A generated root meets another only by a 1-in-16-million id or an admin-given root that took it.
      for (let tries = 0; input.rootPath === undefined && tries < 5 && overlapping(placed, node.id, rootPath); tries += 1)
        rootPath = generatedRoot(input.name);
      const admit = (all: PlacedSpaceRow[]) => {
        const sameName = all.find((s) => s.owner_user_id === null && spaceNameKey(s.name) === nameKey);
        if (sameName) throw ERRORS.SpaceNameTaken(sameName.name);
        refuseOverlap(all, node.id, rootPath);
        return { name: input.name, node_id: node.id, root_path: rootPath, owner_user_id: null };
      };
      admit(placed);
      await clients.ensureFolders(node.id, [rootPath]);
      const space = await spaces.insertChecked(node.id, admit);
      if (!space) throw ERRORS.Internal();
      await a3?.syncSpace(space.id);
      await audit.record({
        userId: user.id,
        action: 'space.create',
        spaceId: space.id,
        target: space.name,
        decision: 'allow',
        reason: `${node.name}:${rootPath}`,
      });
      return toSpace({ space, role: 'manager' }, user);
    },

    /** Spaces sharing a folder or nested in each other, as migration 0004 may have found them. */
    async rootConflicts(): Promise<SpaceRootConflict[]> {
      const conflicts = findRootConflicts(await spaces.placed());
      if (conflicts.length === 0) return [];
      const nodeNames = new Map((await nodes.list()).map((n) => [n.id, n.name]));
      return conflicts.map((c) => ({
        nodeId: c.nodeId,
        nodeName: nodeNames.get(c.nodeId) ?? '(deleted)',
        kind: c.kind,
        spaces: c.spaces.map((s) => ({
          id: s.id,
          name: s.name,
          rootPath: s.root_path,
          personal: s.owner_user_id !== null,
          ownerUsername: s.owner_username,
        })),
      }));
    },

    async listRootConflicts(user: User): Promise<SpaceRootConflict[]> {
      if (!user.isAdmin) throw ERRORS.Forbidden('see which spaces share folders');
      return this.rootConflicts();
    },

    /** Every space, a page at a time, with its node, folder and member count (admins only). */
    async adminList(user: User, filter: { q?: string; offset: number; limit: number }): Promise<AdminSpacesPage> {
      if (!user.isAdmin) throw ERRORS.Forbidden('see every space');
      const page = await spaces.adminPage(filter);
      return {
        total: page.total,
        spaces: page.rows.map((r) => ({
          id: r.id,
          name: r.owner_user_id ? `${r.owner_username ?? 'Someone'}'s files` : r.name,
          personal: r.owner_user_id !== null,
          ownerUsername: r.owner_username,
          nodeId: r.node_id,
          nodeName: r.node_name,
          rootPath: r.root_path,
          memberCount: r.member_count,
        })),
      };
    },

    /**
     * Renames a shared space (admins only). Its folder on the node stays: the name is the portal's
     * label, the folder is where the files are. The name stays unique as in create.
     */
    async rename(user: User, spaceId: string, name: string): Promise<Space> {
      await requireAdmin(user, 'space.rename', spaceId, 'rename spaces');
      const space = await spaces.find(spaceId);
      if (!space) throw ERRORS.SpaceNotFound();
      if (space.owner_user_id) throw ERRORS.Validation('A personal space keeps its name; only shared spaces can be renamed.');
      const nameKey = spaceNameKey(name);
      if (nameKey === '') throw ERRORS.Validation('Enter a name with at least one visible character.');
      const sameName = (await spaces.placed()).find(
        (s) => s.id !== spaceId && s.owner_user_id === null && spaceNameKey(s.name) === nameKey,
      );
      if (sameName) throw ERRORS.SpaceNameTaken(sameName.name);
      await spaces.rename(spaceId, name);
      await audit.record({
        userId: user.id,
        action: 'space.rename',
        spaceId,
        target: name,
        decision: 'allow',
        reason: `was ${space.name}`,
      });
      return this.get(user, spaceId);
    },

    /**
     * Deletes a space (admins only). With `files: 'keep'` its folder stays on the node; with
     * `'delete'` the folder is deleted on the node first, and only then the space, so a node that
     * refuses leaves the space as it was. Deleting files needs the space's name typed as
     * `confirmName`, and is refused while another space's folder lies inside or on this one.
     */
    async remove(user: User, spaceId: string, options: { files: 'keep' | 'delete'; confirmName?: string }): Promise<void> {
      await requireAdmin(user, 'space.delete', spaceId, 'delete spaces');
      const space = await spaces.find(spaceId);
      if (!space) throw ERRORS.SpaceNotFound();
      // No node permission outlives the space, whether its files stay or go.
      await a3?.clearSpace(space);
      if (options.files === 'delete') {
        if (options.confirmName?.trim() !== space.name)
          throw ERRORS.Validation(`To delete the files too, type the space's name, ${JSON.stringify(space.name)}, exactly.`);
        const others = (await spaces.placed()).filter((s) => s.id !== spaceId);
        const overlap = overlapping(others, space.node_id, space.root_path);
        if (overlap)
          throw ERRORS.Conflict(
            `The folder ${space.root_path} ${overlap.relation === 'contains' ? 'contains' : 'is shared with'} the folder of the space ${JSON.stringify(overlap.space.name)} (${overlap.space.root_path}); delete the space keeping its files, or move the other space first.`,
          );
        const { node, client } = await clients.forNode(space.node_id);
        const results = await client.deletePaths([space.root_path]).catch((error: unknown) => {
          throw nodeFailure(node.name, error);
        });
        // A folder already gone (404) is what we wanted.
        const failed = results.find((r) => !r.ok && r.error.status !== 404);
        if (failed && !failed.ok) throw ERRORS.NodeRefused(node.name, failed.error.message);
      }
      if (!(await spaces.delete(spaceId))) throw ERRORS.SpaceNotFound();
      await audit.record({
        userId: user.id,
        action: 'space.delete',
        spaceId,
        target: space.root_path,
        decision: 'allow',
        reason: options.files === 'delete' ? `deleted ${space.name} and its files` : `deleted ${space.name}, files kept on the node`,
      });
    },

    async members(user: User, spaceId: string): Promise<SpaceMember[]> {
      await access.authorize(user, spaceId, 'manageMembers', 'members');
      const rows = await spaces.members(spaceId);
      const userIds = rows.filter((r) => r.principal_type === 'user').map((r) => r.principal_id);
      const groupIds = rows.filter((r) => r.principal_type === 'group').map((r) => r.principal_id);
      const users = await displayNames(userIds);
      const groups = groupIds.length ? await db.selectFrom('groups').select(['id', 'name']).where('id', 'in', groupIds).execute() : [];
      const names = new Map<string, string>([
        ...[...users].map(([id, name]) => [`user:${id}`, name] as const),
        ...groups.map((g) => [`group:${g.id}`, g.name] as const),
      ]);
      return rows.map((r) => ({
        principalType: r.principal_type,
        principalId: r.principal_id,
        role: r.role,
        name: names.get(`${r.principal_type}:${r.principal_id}`) ?? '(deleted)',
      }));
    },

    /**
     * Users and groups whose name contains `q` (ignoring case), for a manager adding members: at
     * most 10 of each. Only managers of the space (and admins) may look.
     */
    async memberCandidates(user: User, spaceId: string, q: string): Promise<MemberCandidate[]> {
      await access.authorize(user, spaceId, 'manageMembers', `search:${q}`);
      const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const like = sql<string>`${pattern} escape '\\'`;
      const users = await db
        .selectFrom('users')
        .select(['id', 'username', 'display_name'])
        .where('deleted_at', 'is', null)
        .where((eb) => eb.or([eb(eb.fn('lower', ['username']), 'like', like), eb(eb.fn('lower', ['display_name']), 'like', like)]))
        .orderBy('username')
        .limit(10)
        .execute();
      const groups = await db
        .selectFrom('groups')
        .select(['id', 'name'])
        .where((eb) => eb(eb.fn('lower', ['name']), 'like', like))
        .orderBy('name')
        .limit(10)
        .execute();
      return [
        ...users.map((u) => ({ principalType: 'user' as const, principalId: u.id, name: u.display_name, username: u.username })),
        ...groups.map((g) => ({ principalType: 'group' as const, principalId: g.id, name: g.name, username: null })),
      ];
    },

    async putMember(
      user: User,
      spaceId: string,
      member: Pick<SpaceMember, 'principalType' | 'principalId' | 'role'>,
    ): Promise<SpaceMember[]> {
      await access.authorize(user, spaceId, 'manageMembers', `${member.principalType}:${member.principalId}`);
      const table = member.principalType === 'user' ? 'users' : 'groups';
      const exists = await db.selectFrom(table).select('id').where('id', '=', member.principalId).executeTakeFirst();
      if (!exists) throw ERRORS.Validation(`No ${member.principalType} with id ${member.principalId}.`);
      await spaces.putMember({
        space_id: spaceId,
        principal_type: member.principalType,
        principal_id: member.principalId,
        role: member.role,
      });
      await a3?.syncSpace(spaceId);
      return this.members(user, spaceId);
    },

    async removeMember(user: User, spaceId: string, principalType: 'user' | 'group', principalId: string): Promise<void> {
      await access.authorize(user, spaceId, 'manageMembers', `${principalType}:${principalId}`);
      if (!(await spaces.removeMember(spaceId, principalType, principalId))) throw ERRORS.NotFound('This member');
      // At once on the node too: a token the person still holds stops opening the space.
      await a3?.syncSpace(spaceId);
    },
  };
}

export type SpacesService = ReturnType<typeof createSpacesService>;

function refuseOverlap(spaces: PlacedSpaceRow[], nodeId: string, rootPath: string): void {
  const overlap = overlapping(spaces, nodeId, rootPath);
  if (!overlap) return;
  const { space, relation } = overlap;
  const whose = space.owner_user_id
    ? `the personal space of ${space.owner_username ?? 'a deleted user'}`
    : `the space ${JSON.stringify(space.name)}`;
  throw ERRORS.SpaceRootOverlaps(rootPath, relation, `${whose} (${space.root_path})`);
}
