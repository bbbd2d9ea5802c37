import type { Db } from '../../db/database';
import type { ShareDownloadsTable, SharesTable } from '../../db/schema';

export type ShareRow = SharesTable;
export type ShareDownloadRow = ShareDownloadsTable;

/** A receipt: the download as the link recorded it, with its transfer's outcome as the node reported it. */
export interface ReceiptRow extends ShareDownloadRow {
  status: string | null;
  bytes_transferred: number | null;
  client: string | null;
  ended_at: number | null;
}

// A list answers at most this many links; "My links" is a person's recent links, not an archive.
const MAX_LISTED = 500;
const MAX_RECEIPTS = 500;

export function createSharesRepository(db: Db) {
  const joined = () =>
    db
      .selectFrom('shares')
      .innerJoin('users', 'users.id', 'shares.owner_user_id')
      .innerJoin('spaces', 'spaces.id', 'shares.space_id')
      .selectAll('shares')
      .select(['users.display_name as owner_name', 'spaces.name as space_name'])
      .orderBy('shares.created_at', 'desc')
      .orderBy('shares.id')
      .limit(MAX_LISTED);

  return {
    async insert(row: ShareRow): Promise<void> {
      await db.insertInto('shares').values(row).execute();
    },
    find: (id: string) => joined().where('shares.id', '=', id).executeTakeFirst(),
    list(filter: { ownerId?: string; spaceId?: string }) {
      let q = joined();
      if (filter.ownerId) q = q.where('shares.owner_user_id', '=', filter.ownerId);
      if (filter.spaceId) q = q.where('shares.space_id', '=', filter.spaceId);
      return q.execute();
    },
    async update(id: string, patch: Partial<Omit<ShareRow, 'id' | 'owner_user_id' | 'space_id' | 'created_at'>>): Promise<void> {
      await db
        .updateTable('shares')
        .set({ ...patch, updated_at: Date.now() })
        .where('id', '=', id)
        .execute();
    },

    async insertDownload(row: ShareDownloadRow): Promise<void> {
      await db.insertInto('share_downloads').values(row).execute();
    },
    findDownload: (transferId: string) =>
      db.selectFrom('share_downloads').selectAll().where('transfer_id', '=', transferId).executeTakeFirst(),

    /**
     * Counts a completed download against its link, once: the receipt is marked in the same
     * statement that checks it was not yet, so a second tracker (another instance) counts nothing.
     * Returns the link's new count, or null when this download was counted already.
     */
    async countCompleted(transferId: string, shareId: string): Promise<number | null> {
      return db.transaction().execute(async (tx) => {
        const marked = await tx
          .updateTable('share_downloads')
          .set({ counted_at: Date.now() })
          .where('transfer_id', '=', transferId)
          .where('counted_at', 'is', null)
          .executeTakeFirst();
        if (Number(marked.numUpdatedRows) !== 1) return null;
        await tx
          .updateTable('shares')
          .set((eb) => ({ downloads: eb('downloads', '+', 1) }))
          .where('id', '=', shareId)
          .execute();
        const row = await tx.selectFrom('shares').select('downloads').where('id', '=', shareId).executeTakeFirst();
        return row?.downloads ?? null;
      });
    },

    receipts(shareId: string): Promise<ReceiptRow[]> {
      return db
        .selectFrom('share_downloads')
        .leftJoin('transfers', 'transfers.id', 'share_downloads.transfer_id')
        .selectAll('share_downloads')
        .select(['transfers.status', 'transfers.bytes_transferred', 'transfers.client', 'transfers.ended_at'])
        .where('share_downloads.share_id', '=', shareId)
        .orderBy('share_downloads.created_at', 'desc')
        .limit(MAX_RECEIPTS)
        .execute();
    },
  };
}

export type SharesRepository = ReturnType<typeof createSharesRepository>;
export type ListedShare = NonNullable<Awaited<ReturnType<SharesRepository['find']>>>;
