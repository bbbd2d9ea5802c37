import { randomUUID } from 'node:crypto';
import type { Role } from '../../../contract/spaces';
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database';
import type { Database, SpaceMembersTable, SpacesTable } from '../../db/schema';
import { ERRORS } from '../../errors';
import { spaceRootKey, type PlacedSpace } from './space-root';

export type SpaceRow = SpacesTable;
export type SpaceMemberRow = SpaceMembersTable;
export type NewSpace = Omit<SpaceRow, 'id' | 'created_at' | 'root_key'>;
export type PlacedSpaceRow = PlacedSpace & { owner_username: string | null };

const placedSpaces = (db: Db | Transaction<Database>): Promise<PlacedSpaceRow[]> =>
  db
    .selectFrom('spaces')
    .leftJoin('users', 'users.id', 'spaces.owner_user_id')
    .select(['spaces.id', 'spaces.name', 'spaces.node_id', 'spaces.root_path', 'spaces.owner_user_id', 'users.username as owner_username'])
    .orderBy('spaces.created_at')
    .orderBy('spaces.id')
    .execute();

/** PostgreSQL's unique_violation, or SQLite's. */
const isUniqueViolation = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
};

export function createSpacesRepository(db: Db) {
  return {
    find: (id: string) => db.selectFrom('spaces').selectAll().where('id', '=', id).executeTakeFirst(),
    findPersonal: (userId: string) => db.selectFrom('spaces').selectAll().where('owner_user_id', '=', userId).executeTakeFirst(),
    listAll: () => db.selectFrom('spaces').selectAll().orderBy('name').execute(),

    /** Every space with its owner's username: what a new space's name and folder are checked against. */
    placed: () => placedSpaces(db),

    /**
     * Inserts the space `decide` returns after seeing every space (null: nothing to insert), with
     * creations on one node taking turns: two creates at once could otherwise both pass a check for
     * folders inside each other, which no unique index can express. Updating the node's row to
     * itself holds its row lock in PostgreSQL until commit, across portal instances; SQLite runs one
     * write transaction at a time anyway. The unique (node_id, root_key) index stays as the backstop.
     */
    async insertChecked(nodeId: string, decide: (spaces: PlacedSpaceRow[]) => NewSpace | null): Promise<SpaceRow | null> {
      try {
        return await db.transaction().execute(async (tx) => {
          await tx
            .updateTable('nodes')
            .set((eb) => ({ is_default: eb.ref('is_default') }))
            .where('id', '=', nodeId)
            .execute();
          const space = decide(await placedSpaces(tx));
          if (!space) return null;
          const row: SpaceRow = { ...space, id: randomUUID(), root_key: spaceRootKey(space.root_path), created_at: Date.now() };
          // A personal space another request made first is theirs to keep (a unique owner index).
          const insert = tx.insertInto('spaces').values(row);
          const result = await (
            row.owner_user_id ? insert.onConflict((oc) => oc.column('owner_user_id').doNothing()) : insert
          ).executeTakeFirst();
          return Number(result.numInsertedOrUpdatedRows ?? 1n) > 0 ? row : null;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw ERRORS.Conflict('Another space was given this folder at the same moment; try again.');
        throw error;
      }
    },

    /** A space as given, unchecked and unserialized: tests use it to set up states the checks refuse. */
    async insert(space: NewSpace): Promise<SpaceRow> {
      const row: SpaceRow = { ...space, id: randomUUID(), root_key: spaceRootKey(space.root_path), created_at: Date.now() };
      await db.insertInto('spaces').values(row).execute();
      return row;
    },

    /** Roles a user holds in each space: directly, through a group, or as the personal space's owner. */
    async rolesOf(userId: string): Promise<Array<{ space: SpaceRow; role: Role }>> {
      const groupIds = db.selectFrom('group_members').select('group_id').where('user_id', '=', userId);
      const memberships = await db
        .selectFrom('space_members')
        .innerJoin('spaces', 'spaces.id', 'space_members.space_id')
        .selectAll('spaces')
        .select('space_members.role')
        .where((eb) =>
          eb.or([
            eb.and([eb('space_members.principal_type', '=', 'user'), eb('space_members.principal_id', '=', userId)]),
            eb.and([eb('space_members.principal_type', '=', 'group'), eb('space_members.principal_id', 'in', groupIds)]),
          ]),
        )
        .execute();
      const owned = await db.selectFrom('spaces').selectAll().where('owner_user_id', '=', userId).execute();
      return [
        ...owned.map((space) => ({ space, role: 'manager' as const })),
        ...memberships.map(({ role, ...space }) => ({ space: space as SpaceRow, role })),
      ];
    },

    /**
     * One page of every space for the admin console, by name, with its node's name, its owner and
     * its member count; `q` matches part of the name, the folder or a personal space's owner's
     * username, ignoring case.
     */
    async adminPage(filter: { q?: string; offset: number; limit: number }) {
      let base = db.selectFrom('spaces').leftJoin('users', 'users.id', 'spaces.owner_user_id');
      if (filter.q) {
        const pattern = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        base = base.where((eb) =>
          eb.or([
            eb(eb.fn('lower', ['spaces.name']), 'like', sql<string>`${pattern} escape '\\'`),
            eb(eb.fn('lower', ['spaces.root_path']), 'like', sql<string>`${pattern} escape '\\'`),
            eb(eb.fn('lower', ['users.username']), 'like', sql<string>`${pattern} escape '\\'`),
          ]),
        );
      }
      const total = await base.select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow();
      const rows = await base
        .innerJoin('nodes', 'nodes.id', 'spaces.node_id')
        .select((eb) => [
          'spaces.id',
          'spaces.name',
          'spaces.node_id',
          'spaces.root_path',
          'spaces.owner_user_id',
          'nodes.name as node_name',
          'users.username as owner_username',
          eb
            .selectFrom('space_members')
            .select((m) => m.fn.countAll<number | string | bigint>().as('c'))
            .whereRef('space_members.space_id', '=', 'spaces.id')
            .as('member_count'),
        ])
        .orderBy('spaces.name')
        .orderBy('spaces.id')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute();
      return { total: Number(total.n), rows: rows.map((r) => ({ ...r, member_count: Number(r.member_count ?? 0) })) };
    },

    /** Renames a space; false when there is no such space. */
    async rename(id: string, name: string): Promise<boolean> {
      const result = await db.updateTable('spaces').set({ name }).where('id', '=', id).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Deletes a space's row; its members and transfer records go with it (foreign keys cascade). */
    async delete(id: string): Promise<boolean> {
      const result = await db.deleteFrom('spaces').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    members: (spaceId: string) => db.selectFrom('space_members').selectAll().where('space_id', '=', spaceId).execute(),

    async putMember(member: SpaceMemberRow): Promise<void> {
      await db
        .insertInto('space_members')
        .values(member)
        .onConflict((oc) => oc.columns(['space_id', 'principal_type', 'principal_id']).doUpdateSet({ role: member.role }))
        .execute();
    },

    async removeMember(spaceId: string, principalType: SpaceMemberRow['principal_type'], principalId: string): Promise<boolean> {
      const result = await db
        .deleteFrom('space_members')
        .where('space_id', '=', spaceId)
        .where('principal_type', '=', principalType)
        .where('principal_id', '=', principalId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

export type SpacesRepository = ReturnType<typeof createSpacesRepository>;
