import type { CreateTransferRequest, CreateTransferResponse, TransferRecord } from '../../../../contract/transfers';
import { api } from '../../../lib/api-client';

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

export function createTransfer(request: NewTransfer): Promise<CreateTransferResponse> {
  return api.post<CreateTransferResponse>('/api/transfers', request satisfies Omit<CreateTransferRequest, 'client'>);
}

/** What only the browser knows: it started, or it failed or was cancelled before the node saw it. */
export function reportTransfer(
  transferId: string,
  report: { status: 'running' | 'failed' | 'cancelled'; error?: string; client?: 'http-gateway' | 'desktop'; pageClosed?: true },
  options: { keepalive?: boolean } = {},
): Promise<TransferRecord> {
  return api.patch<TransferRecord>(`/api/transfers/${encodeURIComponent(transferId)}`, report, options);
}
