import type { Kysely } from 'kysely';

// A node registered with an access key may use A3 (docs/node-api.md §6.5): the portal signs each
// user's bearer tokens with a private key of its own per node, sealed here like the node's secret;
// its public key is the access key's `token_verification_key`. Null: the node is used with Basic only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('nodes').addColumn('token_key_sealed', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('nodes').dropColumn('token_key_sealed').execute();
}
