import {
  IDEMPOTENCY_KEY_HEADER,
  type CreateTransferRequest,
  type CreateTransferResponse,
  type TransferRecord,
} from '../../../../contract/transfers';
import { api } from '../../../lib/api-client';
import { keyedWriteRetryDelay } from '../../../lib/create-query-client';

/** `z.input` of the request: `emptyFolders` may be left out. */
export type NewTransfer =
  | {
      spaceId: string;
      direction: 'upload';
      folder: string;
      files: Array<{ path: string; size: number }>;
      emptyFolders: string[];
      replace: string[];
    }
  | { spaceId: string; direction: 'download'; paths: string[]; allOf?: string; except?: string[] };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Authorizes a new transfer. Each start is one request with its own Idempotency-Key
 * (docs/api.md §8), sent again with the same key and body when the answer was lost (no answer, a
 * proxy's 502/503/504 for an instance that died) or the portal says the first is still running: the
 * portal answers a repeat with the transfer the first one made, so the person sees one normal start.
 */
export async function createTransfer(request: NewTransfer, key: string = crypto.randomUUID()): Promise<CreateTransferResponse> {
  const body = request satisfies Omit<CreateTransferRequest, 'client'>;
  for (let failures = 0; ;) {
    try {
      return await api.post<CreateTransferResponse>('/api/transfers', body, { headers: { [IDEMPOTENCY_KEY_HEADER]: key } });
    } catch (error) {
      failures += 1;
      const delay = keyedWriteRetryDelay(failures, error);
      if (delay === null) throw error;
      await sleep(delay);
    }
  }
}

/** What only the browser knows: it started, or it failed or was cancelled before the node saw it. */
export function reportTransfer(
  transferId: string,
  report: { status: 'running' | 'failed' | 'cancelled'; error?: string; client?: 'http-gateway' | 'desktop'; pageClosed?: true },
  options: { keepalive?: boolean } = {},
): Promise<TransferRecord> {
  return api.patch<TransferRecord>(`/api/transfers/${encodeURIComponent(transferId)}`, report, options);
}
