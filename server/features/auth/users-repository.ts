import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database';
import type { UsersTable } from '../../db/schema';

export type UserRow = UsersTable;

export function createUsersRepository(db: Db) {
  return {
    findByUsername(username: string): Promise<UserRow | undefined> {
      return db.selectFrom('users').selectAll().where('username_key', '=', usernameKey(username)).executeTakeFirst();
    },
    findById(id: string): Promise<UserRow | undefined> {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async create(user: { username: string; displayName: string; passwordHash: string; isAdmin: boolean }): Promise<UserRow> {
      const row: UserRow = {
        id: randomUUID(),
        username_key: usernameKey(user.username),
        username: user.username,
        display_name: user.displayName,
        password_hash: user.passwordHash,
        is_admin: user.isAdmin ? 1 : 0,
        created_at: Date.now(),
      };
      await db.insertInto('users').values(row).execute();
      return row;
    },
    list: () => db.selectFrom('users').selectAll().orderBy('username_key').execute(),
    async count(): Promise<number> {
      const { n } = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(n);
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;

export function usernameKey(username: string): string {
  return username.trim().normalize('NFC').toLowerCase();
}
