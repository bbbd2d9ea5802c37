import type { Kysely } from 'kysely';

// Share links (docs/sharing.md §1): the link, each download made through it (the receipt, tied to
// the transfer record it authorized), and which transfer records a link authorized. A link goes
// with its sharer and its space; its receipts go with it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('shares')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('space_id', 'text', (c) => c.notNull().references('spaces.id').onDelete('cascade'))
    .addColumn('paths_json', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('notify', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('max_downloads', 'integer')
    .addColumn('downloads', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('shares_owner_created').on('shares').columns(['owner_user_id', 'created_at']).execute();
  await db.schema.createIndex('shares_space_created').on('shares').columns(['space_id', 'created_at']).execute();
  await db.schema
    .createTable('share_downloads')
    .addColumn('transfer_id', 'text', (c) => c.primaryKey())
    .addColumn('share_id', 'text', (c) => c.notNull().references('shares.id').onDelete('cascade'))
    .addColumn('paths_json', 'text', (c) => c.notNull())
    .addColumn('source_address', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // Set once, when the node's completion is counted against the link's limit: never twice.
    .addColumn('counted_at', 'bigint')
    .execute();
  await db.schema.createIndex('share_downloads_share_created').on('share_downloads').columns(['share_id', 'created_at']).execute();
  await db.schema.alterTable('transfers').addColumn('share_id', 'text').execute();
  await db.schema.createIndex('transfers_share').on('transfers').column('share_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('transfers_share').execute();
  await db.schema.alterTable('transfers').dropColumn('share_id').execute();
  await db.schema.dropTable('share_downloads').execute();
  await db.schema.dropTable('shares').execute();
}
