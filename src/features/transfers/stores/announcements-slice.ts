import type { StateCreator } from 'zustand';
import type { TransfersStore, TransfersStoreMutators } from './transfers-store';

export interface AnnouncementsSlice {
  /** The last sentence for the polite live region; `seq` makes a repeated sentence announce again. */
  announcement: { text: string; seq: number };
  announce: (text: string) => void;
}

export const createAnnouncementsSlice: StateCreator<TransfersStore, TransfersStoreMutators, [], AnnouncementsSlice> = (set) => ({
  announcement: { text: '', seq: 0 },
  announce: (text) => set((state) => ({ announcement: { text, seq: state.announcement.seq + 1 } })),
});
