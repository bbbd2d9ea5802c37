import type { StateCreator } from 'zustand';
import type { AsperaSdkAvailability } from '../../../transfer-clients';
import type { TransfersStore, TransfersStoreMutators } from './transfers-store';

export interface DesktopAvailabilitySlice {
  /** Desktop's availability as the SDK reports it; null while the SDK is not configured. */
  desktop: AsperaSdkAvailability | null;
  setDesktop: (availability: AsperaSdkAvailability | null) => void;
}

export const createDesktopAvailabilitySlice: StateCreator<TransfersStore, TransfersStoreMutators, [], DesktopAvailabilitySlice> = (
  set,
) => ({
  desktop: null,
  setDesktop: (desktop) => set({ desktop }),
});
