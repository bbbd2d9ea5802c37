import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { writeOnChange } from '../lib/write-on-change';
import { createAnnouncementsSlice, type AnnouncementsSlice } from './announcements-slice';
import { createCarriersSlice, type CarriersSlice } from './carriers-slice';
import { createClientPreferenceSlice, type ClientPreferenceSlice } from './client-preference-slice';
import { createDesktopAvailabilitySlice, type DesktopAvailabilitySlice } from './desktop-availability-slice';
import { createProgressSlice, type ProgressSlice } from './progress-slice';
import { createRemovedSlice, type RemovedSlice } from './removed-slice';
import { createToastsSlice, type ToastsSlice } from './toasts-slice';

export type { LiveProgress } from '../lib/next-progress';
export type { ClientPreference } from './client-preference-slice';
export type { TransferCarrier } from './carriers-slice';
export type { TransferToast } from './toasts-slice';

/**
 * What the browser alone knows about transfers (server data stays in TanStack Query), one slice per
 * concern, combined here once with the middleware; components read it through selectors only.
 */
export type TransfersStore = ProgressSlice &
  RemovedSlice &
  AnnouncementsSlice &
  ToastsSlice &
  DesktopAvailabilitySlice &
  ClientPreferenceSlice &
  CarriersSlice;
export type TransfersStoreMutators = [['zustand/persist', unknown]];
type PersistedTransfers = Pick<TransfersStore, 'removed' | 'preference' | 'carriers'>;

export const useTransfersStore = create<TransfersStore>()(
  persist(
    (...a) => ({
      ...createProgressSlice(...a),
      ...createRemovedSlice(...a),
      ...createAnnouncementsSlice(...a),
      ...createToastsSlice(...a),
      ...createDesktopAvailabilitySlice(...a),
      ...createClientPreferenceSlice(...a),
      ...createCarriersSlice(...a),
    }),
    // The user's "remove", the client choice and which client carried what survive a reload; live
    // progress belongs to this page's clients.
    {
      name: 'courier-transfers',
      storage: writeOnChange(createJSONStorage<PersistedTransfers>(() => localStorage)),
      partialize: (state) => ({ removed: state.removed, preference: state.preference, carriers: state.carriers }),
    },
  ),
);

/** One transfer's live progress: the row that draws it re-renders only when it changes. */
export const useLiveProgress = (transferId: string) => useTransfersStore((state) => state.byId[transferId]);
