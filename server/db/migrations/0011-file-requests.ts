import type { Kysely } from 'kysely';

// File requests (issue 14, docs/file-requests.md §1): upload links for people without an account.
// Each submission lands in a subfolder of its own and is carried by a transfer record of the
// requester's that names its request (transfers.request_id), so the tracker's completion reaches it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('file_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('space_id', 'text', (c) => c.notNull().references('spaces.id').onDelete('cascade'))
    .addColumn('folder', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('deadline', 'bigint', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('max_bytes', 'bigint')
    .addColumn('max_files', 'integer')
    .addColumn('require_identity', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('closed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('file_requests_user_created').on('file_requests').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('file_requests_space_created').on('file_requests').columns(['space_id', 'created_at']).execute();
  await db.schema
    .createTable('request_submissions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('file_requests.id').onDelete('cascade'))
    .addColumn('transfer_id', 'text', (c) => c.notNull())
    .addColumn('folder', 'text', (c) => c.notNull())
    .addColumn('uploader_name', 'text')
    .addColumn('uploader_email', 'text')
    .addColumn('file_count', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('names_json', 'text', (c) => c.notNull())
    .addColumn('source_ip', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .execute();
  await db.schema.createIndex('request_submissions_request').on('request_submissions').columns(['request_id', 'created_at']).execute();
  await db.schema.createIndex('request_submissions_transfer').on('request_submissions').column('transfer_id').unique().execute();
  await db.schema.alterTable('transfers').addColumn('request_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('transfers').dropColumn('request_id').execute();
  await db.schema.dropTable('request_submissions').execute();
  await db.schema.dropTable('file_requests').execute();
}
