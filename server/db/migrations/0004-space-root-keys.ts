import type { Kysely } from 'kysely';
import { spaceRootKey } from '../../features/spaces/space-root';

/**
 * One folder per space: spaces.root_key, unique per node. Installations from before it may hold
 * spaces that share a folder (names that slugged alike) or sit inside each other (admin-given
 * roots). Those are never merged or moved here: which files belong to which space is the admin's
 * call. The oldest space on a folder keeps the key, later ones keep a null key, and every such
 * space is reported at start-up and by GET /api/admin/space-conflicts until an admin resolves it.
 */
export async function up(untyped: Kysely<unknown>): Promise<void> {
  // The table as this migration knows it, not as schema.ts may describe it later.
  const db = untyped as Kysely<{ spaces: { id: string; node_id: string; root_path: string; root_key: string | null; created_at: number } }>;
  await db.schema.alterTable('spaces').addColumn('root_key', 'text').execute();
  const spaces = await db.selectFrom('spaces').select(['id', 'node_id', 'root_path']).orderBy('created_at').orderBy('id').execute();
  const held = new Set<string>();
  for (const space of spaces) {
    const key = spaceRootKey(space.root_path);
    const folder = `${space.node_id}\n${key}`;
    if (held.has(folder)) continue;
    held.add(folder);
    await db.updateTable('spaces').set({ root_key: key }).where('id', '=', space.id).execute();
  }
  await db.schema.createIndex('spaces_root_key').on('spaces').columns(['node_id', 'root_key']).unique().execute();
}
