import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database';
import type { UsersTable } from '../../db/schema';

export type UserRow = Selectable<UsersTable>;

export function createUsersRepository(db: Db) {
  return {
    findByUsername(username: string): Promise<UserRow | undefined> {
      return db
        .selectFrom('users')
        .selectAll()
        .where('username_key', '=', usernameKey(username))
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
    },
    findById(id: string): Promise<UserRow | undefined> {
      // A deleted user kept for their transfer history is nobody to every route.
      return db.selectFrom('users').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    },
    async create(user: {
      username: string;
      displayName: string;
      passwordHash: string;
      isAdmin: boolean;
      email?: string | null;
    }): Promise<UserRow> {
      const row: UserRow = {
        id: randomUUID(),
        username_key: usernameKey(user.username),
        username: user.username,
        display_name: user.displayName,
        password_hash: user.passwordHash,
        is_admin: user.isAdmin ? 1 : 0,
        created_at: Date.now(),
        email: user.email ?? null,
        disabled: 0,
        deleted_at: null,
        must_change_password: 0,
      };
      await db.insertInto('users').values(row).execute();
      return row;
    },
    list: () => db.selectFrom('users').selectAll().where('deleted_at', 'is', null).orderBy('username_key').execute(),
    /**
     * One page of users by username, those matching `search` (in username, display name or email,
     * case-insensitive) only, and how many match in all.
     */
    async page(query: { search?: string; offset: number; limit: number }): Promise<{ rows: UserRow[]; total: number }> {
      let select = db.selectFrom('users').where('deleted_at', 'is', null);
      const search = query.search?.trim().toLowerCase();
      if (search) {
        const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        select = select.where((eb) =>
          eb.or([
            eb('username_key', 'like', sql<string>`${pattern} escape '\\'`),
            eb(eb.fn('lower', ['display_name']), 'like', sql<string>`${pattern} escape '\\'`),
            eb(eb.fn('lower', ['email']), 'like', sql<string>`${pattern} escape '\\'`),
          ]),
        );
      }
      const [rows, counted] = await Promise.all([
        select.selectAll().orderBy('username_key').limit(query.limit).offset(query.offset).execute(),
        select.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(counted.n) };
    },
    async update(
      id: string,
      changes: Partial<Pick<UserRow, 'display_name' | 'email' | 'is_admin' | 'disabled' | 'password_hash' | 'must_change_password'>>,
    ) {
      await db.updateTable('users').set(changes).where('id', '=', id).execute();
    },
    /** Deletes the user and the space roles given to them (sessions, memberships and transfers go by foreign key). */
    async delete(id: string): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('space_members').where('principal_type', '=', 'user').where('principal_id', '=', id).execute();
        await tx.deleteFrom('users').where('id', '=', id).execute();
      });
    },
    /**
     * Deletes the user but keeps the row their transfer records point to: no login ever again (no
     * password, disabled), their username free for someone new (the key left behind has a space,
     * which no username has), no email, no roles, no groups, no
     * sessions, listed nowhere; the records still name them.
     */
    async retire(id: string): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('space_members').where('principal_type', '=', 'user').where('principal_id', '=', id).execute();
        await tx.deleteFrom('group_members').where('user_id', '=', id).execute();
        await tx.deleteFrom('sessions').where('user_id', '=', id).execute();
        await tx
          .updateTable('users')
          .set({ username_key: `deleted user ${id}`, password_hash: '!', disabled: 1, is_admin: 0, email: null, deleted_at: Date.now() })
          .where('id', '=', id)
          .execute();
      });
    },
    /** Admins who can still log in: the ones "never the last admin" counts. */
    async countActiveAdmins(): Promise<number> {
      const { n } = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('is_admin', '=', 1)
        .where('disabled', '=', 0)
        .executeTakeFirstOrThrow();
      return Number(n);
    },
    async count(): Promise<number> {
      const { n } = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('deleted_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(n);
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;

export function usernameKey(username: string): string {
  return username.trim().normalize('NFC').toLowerCase();
}
