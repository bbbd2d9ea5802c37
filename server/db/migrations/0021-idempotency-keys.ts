import type { Kysely } from 'kysely';

// A request sent again with the same Idempotency-Key (docs/api.md §8) answers what the first one
// made instead of making it twice, on whichever instance it lands. The primary key is what excludes
// a second claim across instances; `transfer_id` is chosen at the claim, so even a takeover of a
// claim whose instance died records under the same id (the transfers' own primary key then keeps
// it to one record). Rows older than a day are purged by the hourly cleanup.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'text', (c) => c.notNull())
    /** What the key is for, e.g. `POST /api/transfers`: a key names one request of one operation. */
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    /** SHA-256 (hex) of the canonical request body. */
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('transfer_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    /** When the request now processing it claimed it; a claim older than the takeover bound is a dead instance's. */
    .addColumn('claimed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'operation', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created_at').on('idempotency_keys').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
}
