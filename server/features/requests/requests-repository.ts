import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { FileRequestsTable, RequestSubmissionsTable } from '../../db/schema';

export type FileRequestRow = FileRequestsTable;
export type SubmissionRow = RequestSubmissionsTable;
export type SubmissionWithStatus = SubmissionRow & { status: 'authorized' | 'running' | 'completed' | 'failed' | 'cancelled' };

// A submission's transfer still counts against the request's limits unless it failed or was
// cancelled: a running upload holds its share, so two guests at once cannot both take the last bytes.
const HOLDING = ['authorized', 'running', 'completed'] as const;

export function createRequestsRepository(db: Db) {
  const big = (v: unknown) => Number(v ?? 0);
  return {
    async insert(row: FileRequestRow): Promise<void> {
      await db.insertInto('file_requests').values(row).execute();
    },
    find: (id: string) => db.selectFrom('file_requests').selectAll().where('id', '=', id).executeTakeFirst(),
    async update(id: string, patch: Partial<Omit<FileRequestRow, 'id'>>): Promise<void> {
      await db
        .updateTable('file_requests')
        .set({ ...patch, updated_at: Date.now() })
        .where('id', '=', id)
        .execute();
    },
    /**
     * Newest first, with the requester's display name. `search`: every word must be in the title or
     * the requester's name, any case (lower() on both sides: PostgreSQL's LIKE is case-sensitive).
     */
    list(filter: { userId?: string; spaceId?: string; search?: string; limit: number }) {
      let q = db
        .selectFrom('file_requests')
        .leftJoin('users', 'users.id', 'file_requests.user_id')
        .selectAll('file_requests')
        .select('users.display_name as requester_name')
        .orderBy('file_requests.created_at', 'desc')
        .orderBy('file_requests.id')
        .limit(filter.limit);
      if (filter.userId) q = q.where('file_requests.user_id', '=', filter.userId);
      if (filter.spaceId) q = q.where('file_requests.space_id', '=', filter.spaceId);
      for (const word of (filter.search ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 10)) {
        const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q = q.where((eb) =>
          eb.or([
            eb(eb.fn('lower', ['file_requests.title']), 'like', sql<string>`${pattern} escape '\\'`),
            eb(eb.fn('lower', ['users.display_name']), 'like', sql<string>`${pattern} escape '\\'`),
          ]),
        );
      }
      return q.execute();
    },

    /** Display names of these users, by id. */
    async displayNames(userIds: string[]): Promise<Map<string, string>> {
      if (userIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('users')
        .select(['id', 'display_name'])
        .where('id', 'in', [...new Set(userIds)])
        .execute();
      return new Map(rows.map((r) => [r.id, r.display_name]));
    },

    /** Completed submissions and their bytes, per request. */
    async received(requestIds: string[]): Promise<Map<string, { count: number; bytes: number }>> {
      const out = new Map<string, { count: number; bytes: number }>();
      if (requestIds.length === 0) return out;
      const rows = await db
        .selectFrom('request_submissions')
        .select((eb) => ['request_id', eb.fn.countAll<string | number>().as('n'), eb.fn.sum<string | number>('bytes').as('b')])
        .where('request_id', 'in', requestIds)
        .where('completed_at', 'is not', null)
        .groupBy('request_id')
        .execute();
      for (const r of rows) out.set(r.request_id, { count: big(r.n), bytes: big(r.b) });
      return out;
    },

    /** What the request's live and completed submissions hold of its limits. */
    async usage(requestId: string): Promise<{ bytes: number; files: number }> {
      const row = await db
        .selectFrom('request_submissions')
        .innerJoin('transfers', 'transfers.id', 'request_submissions.transfer_id')
        .select((eb) => [
          eb.fn.sum<string | number>('request_submissions.bytes').as('b'),
          eb.fn.sum<string | number>('request_submissions.file_count').as('f'),
        ])
        .where('request_submissions.request_id', '=', requestId)
        .where('transfers.status', 'in', [...HOLDING])
        .executeTakeFirst();
      return { bytes: big(row?.b), files: big(row?.f) };
    },

    async insertSubmission(row: SubmissionRow): Promise<void> {
      await db.insertInto('request_submissions').values(row).execute();
    },
    submissions(requestId: string): Promise<SubmissionWithStatus[]> {
      return db
        .selectFrom('request_submissions')
        .innerJoin('transfers', 'transfers.id', 'request_submissions.transfer_id')
        .selectAll('request_submissions')
        .select('transfers.status')
        .where('request_submissions.request_id', '=', requestId)
        .orderBy('request_submissions.created_at', 'desc')
        .limit(1000)
        .execute();
    },
    /** Marks the transfer's submission complete; the row only the first time (so one notice). */
    async completeByTransfer(transferId: string, at: number): Promise<SubmissionRow | undefined> {
      const result = await db
        .updateTable('request_submissions')
        .set({ completed_at: at })
        .where('transfer_id', '=', transferId)
        .where('completed_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return undefined;
      return db.selectFrom('request_submissions').selectAll().where('transfer_id', '=', transferId).executeTakeFirst();
    },
  };
}

export type RequestsRepository = ReturnType<typeof createRequestsRepository>;
