/**
 * The transfers' history as people read it and the browser's reports on it: the list, one record,
 * and what only the client saw (docs/api.md §5). Authorization, which makes records, is
 * transfers-service.ts.
 */
import type { User } from '../../../contract/session';
import { isEnded, PAGE_CLOSED_ERROR } from '../../../contract/transfer-status';
import type { TransferClientKind, TransferRecord } from '../../../contract/transfers';
import { ERRORS } from '../../errors';
import type { NodeClients } from '../nodes/node-clients';
import { toTransferRecord, type TransferRow, type TransfersRepository } from './transfers-repository';

export function createTransferRecords(deps: { clients: NodeClients; transfers: TransfersRepository; onChange: () => void }) {
  const { clients, transfers, onChange } = deps;
  return {
    async list(
      user: User,
      query: {
        all: boolean;
        userId?: string;
        spaceId?: string;
        status?: TransferRow['status'];
        limit: number;
        before?: string;
        from?: string;
      },
    ): Promise<TransferRecord[]> {
      if ((query.all || query.userId) && !user.isAdmin) throw ERRORS.Forbidden("see other people's transfers");
      const before = query.before ? Date.parse(query.before) : undefined;
      const rows = await transfers.list({
        userId: query.all ? query.userId : user.id,
        spaceId: query.spaceId,
        status: query.status,
        before: Number.isNaN(before) ? undefined : before,
        from: query.from === undefined ? undefined : Date.parse(query.from),
        limit: query.limit,
      });
      if (!query.all) return rows.map(toTransferRecord);
      const names = await transfers.userNames(rows.map((r) => r.user_id));
      return rows.map((row) => ({ ...toTransferRecord(row), userName: names.get(row.user_id) ?? '' }));
    },

    async get(user: User, id: string): Promise<TransferRecord> {
      const row = await transfers.find(id);
      if (!row || (row.user_id !== user.id && !user.isAdmin)) throw ERRORS.NotFound('This transfer');
      return toTransferRecord(row);
    },

    /**
     * What the browser's client knows that the node may not: it was cancelled or failed before any
     * byte reached the node, or it started on Desktop. Completion only ever comes from the node.
     */
    async reportFromClient(
      user: User,
      id: string,
      report: {
        status: 'running' | 'completed' | 'failed' | 'cancelled';
        client?: TransferClientKind;
        error?: string | undefined;
        pageClosed?: true | undefined;
      },
    ): Promise<TransferRecord> {
      const row = await transfers.find(id);
      if (!row || row.user_id !== user.id) throw ERRORS.NotFound('This transfer');
      // A stop cuts the client's connection, which the node may record first as a failure ("the
      // client closed the connection"): the person's cancel is what happened, so it wins over that.
      if (report.status === 'cancelled' && row.status === 'failed') {
        const patch: Partial<TransferRow> = { status: 'cancelled', error: null, ended_at: row.ended_at ?? Date.now() };
        await transfers.update(id, patch);
        onChange();
        return toTransferRecord({ ...row, ...patch });
      }
      // The page went while the node already failed the upload for the closed connection: the
      // page's reason is the one a person understands (the tracker keeps it, transfer-tracker.ts).
      if (report.status === 'failed' && report.pageClosed && row.status === 'failed') {
        await transfers.update(id, { error: PAGE_CLOSED_ERROR });
        onChange();
        return toTransferRecord({ ...row, error: PAGE_CLOSED_ERROR });
      }
      // Desktop resumes a failed or stopped transfer where it stopped (docs/aspera-sdk.md §9), and the
      // gateway client a failed upload whose session the node holds (docs/http-gateway.md §11.3): its
      // record runs again. The session's next attempt is a new node transfer with the same tag, which
      // the tracker finds: the failed one is no longer this record's.
      const gatewayResume =
        report.client === 'http-gateway' && row.client === 'http-gateway' && row.direction === 'upload' && row.status === 'failed';
      if (
        report.status === 'running' &&
        (gatewayResume || (row.client === 'desktop' && (row.status === 'failed' || row.status === 'cancelled')))
      ) {
        const reopened: Partial<TransferRow> = {
          status: 'running',
          error: null,
          ended_at: null,
          ...(gatewayResume ? { node_transfer_id: null } : {}),
        };
        await transfers.update(id, reopened);
        onChange();
        return toTransferRecord({ ...row, ...reopened });
      }
      if (isEnded(row.status)) return toTransferRecord(row);
      if (report.status === 'cancelled' && row.node_transfer_id) {
        const { client } = await clients.forNode(row.node_id);
        await client.cancelTransfer(row.node_transfer_id).catch(() => undefined); // already over on the node: fine
      }
      const now = Date.now();
      const patch: Partial<TransferRow> =
        report.status === 'running' || report.status === 'completed'
          ? { status: 'running', client: report.client ?? row.client, started_at: row.started_at ?? now }
          : {
              status: report.status,
              error:
                report.status === 'failed'
                  ? report.pageClosed
                    ? PAGE_CLOSED_ERROR
                    : (report.error ?? 'The transfer failed in the browser.')
                  : null,
              ended_at: now,
            };
      await transfers.update(id, patch);
      onChange();
      return toTransferRecord({ ...row, ...patch });
    },
  };
}
