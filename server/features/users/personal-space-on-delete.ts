import type { Db } from '../../db/database';
import { ERRORS } from '../../errors';
import type { UserRow } from '../auth/users-repository';
import type { NodeClients } from '../nodes/node-clients';
import { spaceNameKey } from '../spaces/space-root';

/**
 * What becomes of a deleted user's personal space, as the admin chose (never assumed):
 * `keep` turns it into a shared space named after them, files untouched, that admins manage;
 * `delete` removes its folder on the node and then the space. Answers what was done, for the audit.
 */
export async function settlePersonalSpace(
  deps: { db: Db; clients: NodeClients },
  user: UserRow,
  choice: 'keep' | 'delete',
): Promise<{ spaceId: string; outcome: string } | null> {
  const { db, clients } = deps;
  const space = await db.selectFrom('spaces').selectAll().where('owner_user_id', '=', user.id).executeTakeFirst();
  if (!space) return null;
  if (choice === 'delete') {
    const { node, client } = await clients.forNode(space.node_id);
    const [result] = await client.deletePaths([space.root_path]);
    // A folder already gone (404) is what we wanted; anything else stops the delete before the user goes.
    if (result && !result.ok && result.error?.status !== 404)
      throw ERRORS.NodeRefused(node.name, `deleting ${space.root_path}: ${result.error?.message ?? 'unknown error'}`);
    await db.deleteFrom('spaces').where('id', '=', space.id).execute();
    return { spaceId: space.id, outcome: `deleted ${space.root_path}` };
  }
  const taken = new Set(
    (await db.selectFrom('spaces').select('name').where('owner_user_id', 'is', null).execute()).map((s) => spaceNameKey(s.name)),
  );
  let name = `${user.display_name}'s files`;
  if (taken.has(spaceNameKey(name))) name = `${user.display_name}'s files (${user.username})`;
  for (let n = 2; taken.has(spaceNameKey(name)); n += 1) name = `${user.display_name}'s files (${user.username} ${n})`;
  await db.updateTable('spaces').set({ owner_user_id: null, name }).where('id', '=', space.id).execute();
  return { spaceId: space.id, outcome: `kept as shared space "${name}"` };
}
