import type { Kysely } from 'kysely';

// The time before which the key may not be tried again: the progressive delay between failed
// logins from one address for one account. 0 for rows written before it existed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('login_throttle')
    .addColumn('not_before', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('login_throttle').dropColumn('not_before').execute();
}
