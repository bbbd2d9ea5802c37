import { randomUUID } from 'node:crypto';
import type { Group } from '../../../contract/admin';
import type { Db } from '../../db/database';
import { usernameKey } from '../auth/users-repository';

export function createGroupsRepository(db: Db) {
  async function find(id: string): Promise<Group | undefined> {
    const group = await db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
    if (!group) return undefined;
    const members = await db.selectFrom('group_members').select('user_id').where('group_id', '=', id).execute();
    return { id: group.id, name: group.name, memberIds: members.map((m) => m.user_id) };
  }

  return {
    find,
    async list(): Promise<Group[]> {
      const groups = await db.selectFrom('groups').selectAll().orderBy('name_key').execute();
      const members = await db.selectFrom('group_members').selectAll().execute();
      return groups.map((g) => ({ id: g.id, name: g.name, memberIds: members.filter((m) => m.group_id === g.id).map((m) => m.user_id) }));
    },
    /** Whether another group (not `exceptId`) has this name, compared case-insensitively. */
    async existsNamed(name: string, exceptId?: string): Promise<boolean> {
      const found = await db.selectFrom('groups').select('id').where('name_key', '=', usernameKey(name)).executeTakeFirst();
      return found !== undefined && found.id !== exceptId;
    },
    async rename(id: string, name: string): Promise<void> {
      await db
        .updateTable('groups')
        .set({ name, name_key: usernameKey(name) })
        .where('id', '=', id)
        .execute();
    },
    /** Deletes the group, its memberships and the space roles given to it. */
    async delete(id: string): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('space_members').where('principal_type', '=', 'group').where('principal_id', '=', id).execute();
        await tx.deleteFrom('groups').where('id', '=', id).execute();
      });
    },
    async create(name: string): Promise<Group> {
      const id = randomUUID();
      await db
        .insertInto('groups')
        .values({ id, name, name_key: usernameKey(name), created_at: Date.now() })
        .execute();
      return { id, name, memberIds: [] };
    },
    async addMember(groupId: string, userId: string): Promise<void> {
      await db
        .insertInto('group_members')
        .values({ group_id: groupId, user_id: userId })
        .onConflict((oc) => oc.doNothing())
        .execute();
    },
    /** The groups a user belongs to, as an A3 token names them (docs/node-api.md §6.5). */
    async groupIdsOf(userId: string): Promise<string[]> {
      const rows = await db.selectFrom('group_members').select('group_id').where('user_id', '=', userId).orderBy('group_id').execute();
      return rows.map((r) => r.group_id);
    },
    async removeMember(groupId: string, userId: string): Promise<void> {
      await db.deleteFrom('group_members').where('group_id', '=', groupId).where('user_id', '=', userId).execute();
    },
  };
}

export type GroupsRepository = ReturnType<typeof createGroupsRepository>;
