/**
 * When a transfer has ended, decided once for the portal's records and the SPA's clients: both
 * status sets (contract/transfers.ts, src/transfer-clients/transfer-client.ts) end in the same
 * three. Free of zod, like roles.ts: the transfer clients and the panel are on the SPA's first pages.
 */

/** The statuses a transfer never leaves: nothing more is reported or shown as moving after them. */
export const TRANSFER_ENDED = ['completed', 'failed', 'cancelled'] as const;
export type EndedStatus = (typeof TRANSFER_ENDED)[number];

const ENDED: ReadonlySet<string> = new Set(TRANSFER_ENDED);

/**
 * Why an upload failed when the page sending it was closed or reloaded (the SPA reports it as the
 * page goes): said in these words on every device, instead of the node's view of a closed connection.
 */
export const PAGE_CLOSED_ERROR = 'The upload was interrupted when the page was closed or reloaded.';

export function isEnded(status: string): status is EndedStatus {
  return ENDED.has(status);
}
