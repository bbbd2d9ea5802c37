import type { Kysely } from 'kysely';

// A deleted user whose transfer history the admin keeps stays as a row that can never log in
// (deleted_at set, username freed), so the records still name who moved what. A password set by
// an admin (a one-time password) must be changed at the next login.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('deleted_at', 'bigint').execute();
  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('must_change_password').execute();
  await db.schema.alterTable('users').dropColumn('deleted_at').execute();
}
