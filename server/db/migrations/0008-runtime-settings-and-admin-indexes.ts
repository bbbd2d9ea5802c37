import type { Kysely } from 'kysely';

// Settings an admin changes at run time (the environment gives their defaults), and indexes for the
// audit log's and the admin transfer list's filters, each newest first, so 10,000 rows stay an index walk.
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
  // An admin's view of everyone's transfers, newest first, by space or status.
  await db.schema.createIndex('transfers_created').on('transfers').column('created_at').execute();
  await db.schema.createIndex('transfers_space_created').on('transfers').columns(['space_id', 'created_at']).execute();
  await db.schema.createIndex('transfers_status_created').on('transfers').columns(['status', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of [
    'audit_log_user_at',
    'audit_log_action_at',
    'audit_log_decision_at',
    'transfers_created',
    'transfers_space_created',
    'transfers_status_created',
  ])
    await db.schema.dropIndex(index).execute();
  await db.schema.dropTable('runtime_settings').execute();
}
