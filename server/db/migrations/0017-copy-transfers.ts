import type { Kysely } from 'kysely';

// Copy and Move between spaces (docs/node-api.md §5.1, scenario S6) are transfers the portal starts on the
// source node: the record goes into the destination space like an upload and says what it is
// (`operation`) and where it came from (`source_space_id`), so a Move deletes the right originals
// once the destination reports the copy complete (`source_removed_at`).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('transfers').addColumn('operation', 'text').execute();
  await db.schema.alterTable('transfers').addColumn('source_space_id', 'text').execute();
  await db.schema.alterTable('transfers').addColumn('source_removed_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('transfers').dropColumn('source_removed_at').execute();
  await db.schema.alterTable('transfers').dropColumn('source_space_id').execute();
  await db.schema.alterTable('transfers').dropColumn('operation').execute();
}
