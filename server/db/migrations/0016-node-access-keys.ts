import type { Kysely } from 'kysely';

// A node is reached with its node user (A1) or with an access key id and secret (A2, jailed to the
// key's storage root): the portal must know which, to test an access key as one before it is saved
// (docs/node-api.md §6.1).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('nodes')
    .addColumn('auth_type', 'text', (c) => c.notNull().defaultTo('node_user'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('nodes').dropColumn('auth_type').execute();
}
