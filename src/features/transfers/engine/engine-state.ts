import type { QueryClient } from '@tanstack/react-query';
import type { TransferRecord } from '../../../../contract/transfers';
import type { TransferClient } from '../../../transfer-clients';
import { useTransfersStore } from '../stores/transfers-store';
import type { DesktopSlot } from './desktop-slot';
import type { TransferStart } from './transfer-start';

/** What this page knows about a transfer it started, beyond the server's record. */
export interface StartedTransfer {
  /** Null for a package's transfer. */
  spaceId: string | null;
  title: string;
  start: TransferStart;
  /** The client carrying it; null until chosen. */
  client: TransferClient | null;
  reportedRunning: boolean;
  /** Last 25% step announced to screen readers. */
  quarter: number;
  /** Shown as paused (Desktop): said once to screen readers, and once again when it moves on. */
  paused?: boolean;
  ended: boolean;
}

/** What the runner's parts share: one of each per runner, so one per page. */
export interface EngineState {
  queryClient: QueryClient;
  gateway: TransferClient;
  desktop: DesktopSlot;
  started: Map<string, StartedTransfer>;
  /**
   * Whether the portal offered Desktop for the last transfer of each space (it depends on the
   * space's node, which the SPA is not told otherwise): Desktop's dialogs are offered accordingly.
   */
  desktopBySpace: Map<string, boolean>;
  /** Failed or cancelled transfers whose retry is being authorized: a second click starts nothing more. */
  retrying: Set<string>;
}

export const store = useTransfersStore.getState;

/** The client that carries a transfer: the one that started it here, else the recorded one. */
export function clientOf(engine: EngineState, record: Pick<TransferRecord, 'id' | 'client'>): TransferClient {
  const desktop = engine.desktop.current();
  return engine.started.get(record.id)?.client ?? (record.client === 'desktop' && desktop ? desktop : engine.gateway);
}
