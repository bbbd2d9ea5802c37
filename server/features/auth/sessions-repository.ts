import type { Db } from '../../db/database';
import type { SessionsTable } from '../../db/schema';

export type SessionRow = SessionsTable;

/** Sessions live in the database so several portal instances behind one load balancer share them. */
export function createSessionsRepository(db: Db) {
  return {
    async insert(row: SessionRow): Promise<void> {
      await db.insertInto('sessions').values(row).execute();
    },
    find(idHash: string): Promise<SessionRow | undefined> {
      return db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    },
    async touch(idHash: string, at: number): Promise<void> {
      await db.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
    },
    async delete(idHash: string): Promise<void> {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },
    /** Deletes every session of one user, answering the id hashes it deleted. */
    async deleteForUser(userId: string): Promise<string[]> {
      const rows = await db.deleteFrom('sessions').where('user_id', '=', userId).returning('id_hash').execute();
      return rows.map((r) => r.id_hash);
    },
    /** Removes sessions that ended before `before`; expired rows are kept a while so we can say "expired". */
    async purgeEndedBefore(expiredBefore: number, idleSince: number): Promise<void> {
      await db
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('expires_at', '<', expiredBefore), eb('last_seen_at', '<', idleSince)]))
        .execute();
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
