import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Packages (issue 15, docs/packages.md §1): files sent to named people, stored on a node under its
// packages root, one folder per package, outside every space. Each recipient's row is the receipt
// (opened, archived); the transfers that carry a package name it (transfers.package_id), and such a
// transfer belongs to no space, so transfers.space_id becomes nullable. SQLite cannot drop a NOT
// NULL, so there the table is rebuilt with the same columns and indexes.
const TRANSFER_COLUMNS = [
  'id',
  'user_id',
  'space_id',
  'node_id',
  'direction',
  'title',
  'folder',
  'paths_json',
  'file_count',
  'bytes_expected',
  'bytes_transferred',
  'client',
  'status',
  'node_transfer_id',
  'error',
  'created_at',
  'updated_at',
  'started_at',
  'ended_at',
  'share_id',
  'request_id',
];

async function transferIndexes(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('transfers_user').on('transfers').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('transfers_node_transfer').on('transfers').columns(['node_id', 'node_transfer_id']).execute();
  await db.schema.createIndex('transfers_created').on('transfers').column('created_at').execute();
  await db.schema.createIndex('transfers_space_created').on('transfers').columns(['space_id', 'created_at']).execute();
  await db.schema.createIndex('transfers_status_created').on('transfers').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('transfers_share').on('transfers').column('share_id').execute();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await db.schema
      .createTable('transfers_new')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('space_id', 'text', (c) => c.references('spaces.id').onDelete('cascade'))
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('folder', 'text', (c) => c.notNull())
      .addColumn('paths_json', 'text', (c) => c.notNull())
      .addColumn('file_count', 'integer', (c) => c.notNull())
      .addColumn('bytes_expected', 'bigint')
      .addColumn('bytes_transferred', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('client', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('node_transfer_id', 'text')
      .addColumn('error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('ended_at', 'bigint')
      .addColumn('share_id', 'text')
      .addColumn('request_id', 'text')
      .execute();
    const columns = sql.join(TRANSFER_COLUMNS.map((c) => sql.ref(c)));
    await sql`insert into transfers_new (${columns}) select ${columns} from transfers`.execute(db);
    await db.schema.dropTable('transfers').execute();
    await db.schema.alterTable('transfers_new').renameTo('transfers').execute();
    await transferIndexes(db);
  } else {
    await sql`alter table transfers alter column space_id drop not null`.execute(db);
  }
  await db.schema.alterTable('transfers').addColumn('package_id', 'text').execute();
  await db.schema.createIndex('transfers_package').on('transfers').columns(['package_id', 'user_id']).execute();

  // Where a node keeps packages (an absolute node path); null: the node holds none, except the
  // embedded node, which uses /packages.
  await db.schema.alterTable('nodes').addColumn('packages_root', 'text').execute();

  await db.schema
    .createTable('packages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sender_user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('node_id', 'text', (c) => c.notNull())
    // The package's folder on its node: `<packages root>/<id>`.
    .addColumn('node_path', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('files_json', 'text', (c) => c.notNull())
    .addColumn('file_count', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('notify_on_download', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('private_recipients', 'integer', (c) => c.notNull().defaultTo(0))
    // uploading → ready (the upload completed on the node) → expired or deleted; or failed.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('upload_transfer_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('ready_at', 'bigint')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('sender_archived_at', 'bigint')
    // The expiry pass's claim on a due package: one portal instance removes it, until this time.
    .addColumn('expiry_lease_until', 'bigint')
    .execute();
  await db.schema.createIndex('packages_sender_created').on('packages').columns(['sender_user_id', 'created_at']).execute();
  await db.schema.createIndex('packages_status_expires').on('packages').columns(['status', 'expires_at']).execute();
  await db.schema.createIndex('packages_upload_transfer').on('packages').column('upload_transfer_id').unique().execute();

  await db.schema
    .createTable('package_recipients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('package_id', 'text', (c) => c.notNull().references('packages.id').onDelete('cascade'))
    // A user, or an external address (then user_id is null).
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('email', 'text')
    // The group the user was named through, for the sender's view; null when named directly.
    .addColumn('via_group_id', 'text')
    .addColumn('opened_at', 'bigint')
    .addColumn('archived_at', 'bigint')
    .addColumn('notified_at', 'bigint')
    .execute();
  await db.schema.createIndex('package_recipients_package').on('package_recipients').column('package_id').execute();
  await db.schema.createIndex('package_recipients_user').on('package_recipients').columns(['user_id', 'package_id']).unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('package_recipients').execute();
  await db.schema.dropTable('packages').execute();
  await db.schema.alterTable('nodes').dropColumn('packages_root').execute();
  await db.schema.dropIndex('transfers_package').execute();
  await db.schema.alterTable('transfers').dropColumn('package_id').execute();
}
