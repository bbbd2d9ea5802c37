import { isEnded } from '../../../../contract/transfer-status';
import type { TransferRecord } from '../../../../contract/transfers';
import type { TransferClientStatus } from '../../../transfer-clients';

export { isEnded };

/**
 * One status from two witnesses: this page's client (live) and the server's record (what the node
 * saw, or what another device reported). An end seen by either wins, the client's first: it knows
 * a cancel before the node does. Otherwise the live status, which is finer ("starting", "paused").
 */
export function displayStatus(record: Pick<TransferRecord, 'status'>, live: TransferClientStatus | undefined): TransferClientStatus {
  if (live && isEnded(live)) return live;
  if (record.status !== 'authorized' && record.status !== 'running') return record.status;
  if (live) return live;
  return record.status === 'authorized' ? 'queued' : 'running';
}
