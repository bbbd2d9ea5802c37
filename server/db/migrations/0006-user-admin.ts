import type { Kysely } from 'kysely';

// What the admin console keeps per user: an email address (optional) and whether the account is
// disabled (no login, no session). 0 for rows written before it existed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('email', 'text').execute();
  await db.schema
    .alterTable('users')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // The admin count ("never the last admin") reads this on every change of role.
  await db.schema.createIndex('users_is_admin').on('users').column('is_admin').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('users_is_admin').execute();
  await db.schema.alterTable('users').dropColumn('disabled').execute();
  await db.schema.alterTable('users').dropColumn('email').execute();
}
