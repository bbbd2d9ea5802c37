import type { Kysely } from 'kysely';

// External recipients of a package (docs/packages.md §7): each gets a personal link whose secret the
// portal keeps only as a SHA-256 (`link_hash`), and, when the sender asks for it (`require_code`),
// a one-time code sent by email before any download (its hash, expiry, wrong tries and when it was
// last sent). A download through such a link is the sender's transfer record (as a share link's is
// the sharer's); `package_downloads` names the recipient it was for, so the receipt names who.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('packages')
    .addColumn('require_code', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('package_recipients').addColumn('link_hash', 'text').execute();
  await db.schema.alterTable('package_recipients').addColumn('code_hash', 'text').execute();
  await db.schema.alterTable('package_recipients').addColumn('code_expires_at', 'bigint').execute();
  await db.schema
    .alterTable('package_recipients')
    .addColumn('code_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('package_recipients').addColumn('code_sent_at', 'bigint').execute();
  await db.schema.createIndex('package_recipients_link').on('package_recipients').column('link_hash').unique().execute();
  await db.schema
    .createTable('package_downloads')
    .addColumn('transfer_id', 'text', (c) => c.primaryKey())
    .addColumn('package_id', 'text', (c) => c.notNull().references('packages.id').onDelete('cascade'))
    .addColumn('recipient_id', 'text', (c) => c.notNull().references('package_recipients.id').onDelete('cascade'))
    .addColumn('source_address', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('package_downloads_package').on('package_downloads').column('package_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('package_downloads').execute();
  await db.schema.dropIndex('package_recipients_link').execute();
  for (const column of ['code_sent_at', 'code_attempts', 'code_expires_at', 'code_hash', 'link_hash'])
    await db.schema.alterTable('package_recipients').dropColumn(column).execute();
  await db.schema.alterTable('packages').dropColumn('require_code').execute();
}
