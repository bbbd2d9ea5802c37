import type { StateCreator } from 'zustand';
import type { TransferClientKind } from '../../../transfer-clients';
import type { TransfersStore, TransfersStoreMutators } from './transfers-store';

/** Which client carries a transfer this page started, and why (shown in its row). */
export interface TransferCarrier {
  kind: TransferClientKind;
  reason: string;
}

export interface CarriersSlice {
  carriers: Record<string, TransferCarrier>;
  setCarrier: (transferId: string, carrier: TransferCarrier) => void;
}

export const createCarriersSlice: StateCreator<TransfersStore, TransfersStoreMutators, [], CarriersSlice> = (set) => ({
  carriers: {},
  setCarrier: (transferId, carrier) => set((state) => ({ carriers: { ...state.carriers, [transferId]: carrier } })),
});
