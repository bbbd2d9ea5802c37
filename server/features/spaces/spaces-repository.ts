import { randomUUID } from 'node:crypto';
import type { Role } from '../../../contract/spaces';
import type { Db } from '../../db/database';
import type { SpaceMembersTable, SpacesTable } from '../../db/schema';

export type SpaceRow = SpacesTable;
export type SpaceMemberRow = SpaceMembersTable;

export function createSpacesRepository(db: Db) {
  return {
    find: (id: string) => db.selectFrom('spaces').selectAll().where('id', '=', id).executeTakeFirst(),
    findPersonal: (userId: string) => db.selectFrom('spaces').selectAll().where('owner_user_id', '=', userId).executeTakeFirst(),
    listAll: () => db.selectFrom('spaces').selectAll().orderBy('name').execute(),

    /** The user's personal space, unless a concurrent request just created it (a unique index). */
    async insertPersonal(space: Omit<SpaceRow, 'id' | 'created_at' | 'owner_user_id'> & { owner_user_id: string }): Promise<void> {
      const row: SpaceRow = { ...space, id: randomUUID(), created_at: Date.now() };
      await db.insertInto('spaces').values(row).onConflict((oc) => oc.column('owner_user_id').doNothing()).execute();
    },

    async insert(space: Omit<SpaceRow, 'id' | 'created_at'>): Promise<SpaceRow> {
      const row: SpaceRow = { ...space, id: randomUUID(), created_at: Date.now() };
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
