import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../../db/database';
import type { NodesTable } from '../../db/schema';
import type { SecretBox } from '../../lib/secret-box';

export type NodeRow = Selectable<NodesTable>;

/** A node with its secret opened: lives only in server memory, on its way to the node client. */
export interface NodeConnectionInfo {
  id: string;
  name: string;
  url: string;
  username: string;
  secret: string;
  gatewayUrl: string | null;
  verifyTls: boolean;
  kind: NodeRow['kind'];
  authType: NodeRow['auth_type'];
  /** A3: the private key (PEM) that signs this node's bearer tokens, opened; null without A3 (docs/node-api.md §6.5). */
  tokenKey: string | null;
}

export type NewNode = Omit<NodeConnectionInfo, 'id' | 'tokenKey'> & { isDefault: boolean; bearerTokens?: boolean };

export function createNodesRepository(db: Db, box: SecretBox) {
  const open = (row: NodeRow): NodeConnectionInfo => ({
    id: row.id,
    name: row.name,
    url: row.url,
    username: row.username,
    secret: box.open(row.secret_sealed),
    gatewayUrl: row.gateway_url,
    verifyTls: row.verify_tls === 1,
    kind: row.kind,
    authType: row.auth_type,
    tokenKey: row.token_key_sealed ? box.open(row.token_key_sealed) : null,
  });

  return {
    list: () => db.selectFrom('nodes').selectAll().orderBy('created_at').execute(),
    findRow: (id: string) => db.selectFrom('nodes').selectAll().where('id', '=', id).executeTakeFirst(),
    findByName: (name: string) => db.selectFrom('nodes').selectAll().where('name', '=', name).executeTakeFirst(),
    async connection(id: string): Promise<NodeConnectionInfo | undefined> {
      const row = await db.selectFrom('nodes').selectAll().where('id', '=', id).executeTakeFirst();
      return row && open(row);
    },
    async defaultNode(): Promise<NodeRow | undefined> {
      return (
        (await db.selectFrom('nodes').selectAll().where('is_default', '=', 1).executeTakeFirst()) ??
        (await db.selectFrom('nodes').selectAll().orderBy('created_at').executeTakeFirst())
      );
    },
    async insert(node: NewNode): Promise<NodeRow> {
      const row: NodeRow = {
        id: randomUUID(),
        name: node.name,
        url: node.url,
        username: node.username,
        secret_sealed: box.seal(node.secret),
        gateway_url: node.gatewayUrl,
        verify_tls: node.verifyTls ? 1 : 0,
        kind: node.kind,
        packages_root: null,
        auth_type: node.authType,
        token_key_sealed: null,
        is_default: node.isDefault ? 1 : 0,
        created_at: Date.now(),
      };
      await db.transaction().execute(async (tx) => {
        if (node.isDefault) await tx.updateTable('nodes').set({ is_default: 0 }).execute();
        await tx.insertInto('nodes').values(row).execute();
      });
      return row;
    },
    async updateConnection(
      id: string,
      node: Pick<NewNode, 'url' | 'username' | 'secret' | 'gatewayUrl'> & { verifyTls?: boolean; authType?: NewNode['authType'] },
    ): Promise<void> {
      await db
        .updateTable('nodes')
        .set({
          url: node.url,
          username: node.username,
          secret_sealed: box.seal(node.secret),
          gateway_url: node.gatewayUrl,
          ...(node.verifyTls === undefined ? {} : { verify_tls: node.verifyTls ? 1 : 0 }),
          ...(node.authType === undefined ? {} : { auth_type: node.authType }),
        })
        .where('id', '=', id)
        .execute();
    },
    /** Seals and keeps the node's A3 signing key; null turns A3 off. */
    async setTokenKey(id: string, privatePem: string | null): Promise<void> {
      await db
        .updateTable('nodes')
        .set({ token_key_sealed: privatePem === null ? null : box.seal(privatePem) })
        .where('id', '=', id)
        .execute();
    },
    async setPackagesRoot(id: string, root: string | null): Promise<void> {
      await db.updateTable('nodes').set({ packages_root: root }).where('id', '=', id).execute();
    },
    spaceRootsOn: (id: string) => db.selectFrom('spaces').select(['name', 'root_path']).where('node_id', '=', id).execute(),
    async delete(id: string): Promise<void> {
      await db.deleteFrom('nodes').where('id', '=', id).execute();
    },
    /** Names of the spaces on a node (a personal space by its owner's username), by name. */
    async spacesOn(id: string): Promise<string[]> {
      const rows = await db
        .selectFrom('spaces')
        .leftJoin('users', 'users.id', 'spaces.owner_user_id')
        .select(['spaces.name', 'spaces.owner_user_id', 'users.username'])
        .where('spaces.node_id', '=', id)
        .orderBy('spaces.name')
        .execute();
      return rows.map((r) => (r.owner_user_id ? `${r.username ?? 'someone'}'s files` : r.name));
    },
    /** How many spaces each node holds. */
    async spaceCounts(): Promise<Map<string, number>> {
      const rows = await db
        .selectFrom('spaces')
        .select((eb) => ['node_id', eb.fn.countAll<number | string | bigint>().as('n')])
        .groupBy('node_id')
        .execute();
      return new Map(rows.map((r) => [r.node_id, Number(r.n)]));
    },
    async isInUse(id: string): Promise<boolean> {
      return (await db.selectFrom('spaces').select('id').where('node_id', '=', id).limit(1).executeTakeFirst()) !== undefined;
    },
  };
}

export type NodesRepository = ReturnType<typeof createNodesRepository>;
