import type { StateCreator } from 'zustand';
import type { TransferClientEvent } from '../../../transfer-clients';
import { nextProgress, type LiveProgress } from '../lib/next-progress';
import { createProgressBatch } from '../lib/progress-batch';
import type { TransfersStore, TransfersStoreMutators } from './transfers-store';

// Running progress reaches the store at most every 100 ms (10 Hz, still smooth for a bar): see
// progress-batch.ts for why one store update per event does not scale to 500 transfers.
export const PROGRESS_FLUSH_MS = 100;

export interface ProgressSlice {
  /** Live progress of the transfers this page's clients carry (see next-progress.ts). */
  byId: Record<string, LiveProgress>;
  apply: (event: TransferClientEvent, now?: number) => void;
  /** The transfer left this page: its live progress and its carrier go. */
  forget: (transferId: string) => void;
}

export const createProgressSlice: StateCreator<TransfersStore, TransfersStoreMutators, [], ProgressSlice> = (set) => {
  const batch = createProgressBatch(PROGRESS_FLUSH_MS, (events) =>
    set((state) => {
      const byId = { ...state.byId };
      for (const { event, now } of events) byId[event.transferId] = nextProgress(byId[event.transferId], event, now);
      return { byId };
    }),
  );
  return {
    byId: {},
    apply: (event, now = Date.now()) => batch.add(event, now),
    forget: (transferId) => {
      batch.flush();
      set((state) => {
        const { [transferId]: _gone, ...byId } = state.byId;
        const { [transferId]: _carrier, ...carriers } = state.carriers;
        return { byId, carriers };
      });
    },
  };
};
