import type { Kysely } from 'kysely';

// Settings an admin changes at run time (the environment gives their defaults), and indexes for the
// audit log's filters: who and what, each newest first, so a page of 10,000 rows stays an index walk.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('runtime_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db.schema.createIndex('audit_log_user_at').on('audit_log').columns(['user_id', 'at']).execute();
  await db.schema.createIndex('audit_log_action_at').on('audit_log').columns(['action', 'at']).execute();
  await db.schema.createIndex('audit_log_decision_at').on('audit_log').columns(['decision', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of ['audit_log_user_at', 'audit_log_action_at', 'audit_log_decision_at']) await db.schema.dropIndex(index).execute();
  await db.schema.dropTable('runtime_settings').execute();
}
