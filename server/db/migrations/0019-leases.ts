import type { Kysely } from 'kysely';

// Work that must run once however many portal instances share the database (following the nodes'
// transfers, the periodic jobs) runs under a lease: one row per kind of work, naming the instance
// that holds it until `expires_at` (docs/deployment.md §3). A holder renews it while it lives; when it
// dies, the row lapses and another instance takes it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('acquired_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('leases').execute();
}
