import type { StateCreator } from 'zustand';
import type { TransferClientKind } from '../../../transfer-clients';
import type { TransfersStore, TransfersStoreMutators } from './transfers-store';

/** The person's choice of client: `auto` lets Courier pick per transfer (chooseClient). */
export type ClientPreference = 'auto' | TransferClientKind;

export interface ClientPreferenceSlice {
  preference: ClientPreference;
  setPreference: (preference: ClientPreference) => void;
}

export const createClientPreferenceSlice: StateCreator<TransfersStore, TransfersStoreMutators, [], ClientPreferenceSlice> = (set) => ({
  preference: 'auto',
  setPreference: (preference) => set({ preference }),
});
