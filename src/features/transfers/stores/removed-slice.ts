import type { StateCreator } from 'zustand';
import type { TransfersStore, TransfersStoreMutators } from './transfers-store';

export interface RemovedSlice {
  /** Transfers the user removed from the list (the API keeps every record; this hides it here). */
  removed: Record<string, true>;
  remove: (transferId: string) => void;
}

export const createRemovedSlice: StateCreator<TransfersStore, TransfersStoreMutators, [], RemovedSlice> = (set) => ({
  removed: {},
  remove: (transferId) => set((state) => ({ removed: { ...state.removed, [transferId]: true } })),
});
