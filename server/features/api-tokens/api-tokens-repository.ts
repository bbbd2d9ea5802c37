import type { Db } from '../../db/database';
import type { ApiTokensTable } from '../../db/schema';

export type ApiTokenRow = ApiTokensTable;

/** Personal API tokens, found by the hash of their secret (docs/api-tokens.md §1). */
export function createApiTokensRepository(db: Db) {
  return {
    async insert(row: ApiTokenRow): Promise<void> {
      await db.insertInto('api_tokens').values(row).execute();
    },
    findBySecretHash(secretHash: string): Promise<ApiTokenRow | undefined> {
      return db.selectFrom('api_tokens').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();
    },
    findById(id: string): Promise<ApiTokenRow | undefined> {
      return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    },
    listForUser(userId: string): Promise<ApiTokenRow[]> {
      return db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id').execute();
    },
    countForUser(userId: string): Promise<number> {
      return db
        .selectFrom('api_tokens')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n));
    },
    /** Deletes the user's token `id`; answers whether there was one (someone else's is not theirs to delete). */
    async delete(userId: string, id: string): Promise<boolean> {
      const result = await db.deleteFrom('api_tokens').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async touch(id: string, at: number): Promise<void> {
      await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}

export type ApiTokensRepository = ReturnType<typeof createApiTokensRepository>;
