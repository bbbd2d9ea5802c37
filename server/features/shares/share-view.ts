import type { Share, ShareReceipt, ShareStatus } from '../../../contract/shares';
import type { ListedShare, ReceiptRow } from './shares-repository';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Where a link stands now; revoked wins over expired, which wins over used up (docs/sharing.md §3). */
export function shareStatus(
  row: Pick<ListedShare, 'revoked_at' | 'expires_at' | 'max_downloads' | 'downloads'>,
  now = Date.now(),
): ShareStatus {
  if (row.revoked_at !== null) return 'revoked';
  if (row.expires_at !== null && row.expires_at <= now) return 'expired';
  if (row.max_downloads !== null && row.downloads >= row.max_downloads) return 'used-up';
  return 'active';
}

export function toShare(row: ListedShare, publicOrigin: string): Share {
  return {
    id: row.id,
    url: `${publicOrigin}/s/${row.id}`,
    spaceId: row.space_id,
    spaceName: row.space_name,
    ownerId: row.owner_user_id,
    ownerName: row.owner_name,
    paths: JSON.parse(row.paths_json) as string[],
    note: row.note,
    notify: row.notify,
    hasPassword: row.password_hash !== null,
    maxDownloads: row.max_downloads,
    downloads: row.downloads,
    status: shareStatus(row),
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: iso(row.expires_at),
    revokedAt: iso(row.revoked_at),
  };
}

export function toReceipt(row: ReceiptRow): ShareReceipt {
  const bytes = row.bytes_transferred ?? 0;
  const outcome: ShareReceipt['outcome'] =
    row.status === 'completed'
      ? 'complete'
      : row.status === 'failed' || row.status === 'cancelled'
        ? bytes > 0
          ? 'partial'
          : 'failed'
        : 'in-progress';
  return {
    transferId: row.transfer_id,
    at: new Date(row.created_at).toISOString(),
    paths: JSON.parse(row.paths_json) as string[],
    outcome,
    bytesTransferred: bytes,
    client: row.client,
    userAgent: row.user_agent,
    sourceAddress: row.source_address,
  };
}
