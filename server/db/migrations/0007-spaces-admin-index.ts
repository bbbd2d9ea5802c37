import type { Kysely } from 'kysely';

// The admin console pages through every space by name (GET /api/admin/spaces): with thousands of
// spaces each page reads the index in order instead of sorting the table.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('spaces_name').on('spaces').columns(['name', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('spaces_name').execute();
}
