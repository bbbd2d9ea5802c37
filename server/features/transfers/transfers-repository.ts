import type { TransferRecord } from '../../../contract/transfers';
import type { Db } from '../../db/database';
import type { TransfersTable } from '../../db/schema';

export type TransferRow = TransfersTable;

// Transfers still worth following on their node; older unfinished ones are left as they are.
const FOLLOW_WINDOW_MS = 48 * 3600_000;

export function createTransfersRepository(db: Db) {
  return {
    async insert(row: TransferRow): Promise<void> {
      await db.insertInto('transfers').values(row).execute();
    },
    find: (id: string) => db.selectFrom('transfers').selectAll().where('id', '=', id).executeTakeFirst(),

    list(filter: {
      userId?: string;
      spaceId?: string;
      nodeId?: string;
      status?: TransferRow['status'];
      before?: number;
      from?: number;
      limit: number;
    }) {
      let q = db.selectFrom('transfers').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit);
      if (filter.userId) q = q.where('user_id', '=', filter.userId);
      if (filter.spaceId) q = q.where('space_id', '=', filter.spaceId);
      if (filter.nodeId) q = q.where('node_id', '=', filter.nodeId);
      if (filter.status) q = q.where('status', '=', filter.status);
      if (filter.before !== undefined) q = q.where('created_at', '<', filter.before);
      if (filter.from !== undefined) q = q.where('created_at', '>=', filter.from);
      return q.execute();
    },

    /** Usernames by id, deleted users' too (their kept records still name them). */
    async userNames(ids: readonly string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom('users')
        .select(['id', 'username', 'deleted_at'])
        .where('id', 'in', [...new Set(ids)])
        .execute();
      return new Map(rows.map((r) => [r.id, r.deleted_at === null ? r.username : `${r.username} (deleted)`]));
    },

    /** Unfinished records of a node that its transfer list never matched, created before `before`. */
    unmatched(nodeId: string, before: number, limit: number) {
      return db
        .selectFrom('transfers')
        .selectAll()
        .where('node_id', '=', nodeId)
        .where('status', 'in', ['authorized', 'running'])
        .where('node_transfer_id', 'is', null)
        .where('created_at', '<', before)
        .where('created_at', '>', Date.now() - FOLLOW_WINDOW_MS)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
    },

    async update(id: string, patch: Partial<Omit<TransferRow, 'id'>>): Promise<void> {
      await db
        .updateTable('transfers')
        .set({ ...patch, updated_at: Date.now() })
        .where('id', '=', id)
        .execute();
    },

    /**
     * Updates the record only if its status is still `status` (compare-and-set): of two trackers
     * reading the same node report (a lease that lapsed under a slow pass), one moves a record to its
     * end and the other learns it did not, so an end's consequences happen once (docs/deployment.md §3).
     */
    async updateIfStatus(id: string, status: TransferRow['status'], patch: Partial<Omit<TransferRow, 'id'>>): Promise<boolean> {
      const result = await db
        .updateTable('transfers')
        .set({ ...patch, updated_at: Date.now() })
        .where('id', '=', id)
        .where('status', '=', status)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Nodes with unfinished transfers recent enough to follow. */
    async nodesWithActiveTransfers(): Promise<string[]> {
      const rows = await db
        .selectFrom('transfers')
        .select('node_id')
        .distinct()
        .where('status', 'in', ['authorized', 'running'])
        .where('created_at', '>', Date.now() - FOLLOW_WINDOW_MS)
        .execute();
      return rows.map((r) => r.node_id);
    },

    /** Ends records authorized before `cutoff` that never reached their node; returns how many. */
    async failUnstarted(cutoff: number, reason: string): Promise<number> {
      const now = Date.now();
      const result = await db
        .updateTable('transfers')
        .set({ status: 'failed', error: reason, ended_at: now, updated_at: now })
        .where('status', '=', 'authorized')
        .where('created_at', '<', cutoff)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    changedSince: (since: number) =>
      db.selectFrom('transfers').selectAll().where('updated_at', '>', since).orderBy('updated_at').limit(1000).execute(),

    async cursor(nodeId: string): Promise<string | null> {
      const row = await db.selectFrom('node_cursors').select('iteration_token').where('node_id', '=', nodeId).executeTakeFirst();
      return row?.iteration_token ?? null;
    },
    async saveCursor(nodeId: string, token: string | null): Promise<void> {
      await db
        .insertInto('node_cursors')
        .values({ node_id: nodeId, iteration_token: token, updated_at: Date.now() })
        .onConflict((oc) => oc.column('node_id').doUpdateSet({ iteration_token: token, updated_at: Date.now() }))
        .execute();
    },
  };
}

export type TransfersRepository = ReturnType<typeof createTransfersRepository>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toTransferRecord(row: TransferRow): TransferRecord {
  return {
    id: row.id,
    userId: row.user_id,
    spaceId: row.space_id,
    packageId: row.package_id ?? null,
    direction: row.direction,
    title: row.title,
    folder: row.folder,
    paths: JSON.parse(row.paths_json) as string[],
    fileCount: row.file_count,
    bytesExpected: row.bytes_expected,
    bytesTransferred: row.bytes_transferred,
    client: row.client as TransferRecord['client'],
    status: row.status,
    error: row.error,
    createdAt: new Date(row.created_at).toISOString(),
    startedAt: iso(row.started_at),
    endedAt: iso(row.ended_at),
    ...(row.operation ? { operation: row.operation, sourceSpaceId: row.source_space_id ?? '' } : {}),
  };
}
