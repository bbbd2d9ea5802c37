import type { StateCreator } from 'zustand';
import type { TransfersStore, TransfersStoreMutators } from './transfers-store';

export interface TransferToast {
  id: number;
  kind: 'success' | 'error';
  title: string;
  subtitle: string;
}

export interface ToastsSlice {
  toasts: TransferToast[];
  pushToast: (toast: Omit<TransferToast, 'id'>) => void;
  dismissToast: (id: number) => void;
}

// A burst of endings (a batch cancelled) shows the latest few, not a wall of toasts.
const MAX_TOASTS = 4;

export const createToastsSlice: StateCreator<TransfersStore, TransfersStoreMutators, [], ToastsSlice> = (set) => {
  let toastSeq = 0;
  return {
    toasts: [],
    pushToast: (toast) => set((state) => ({ toasts: [...state.toasts, { ...toast, id: (toastSeq += 1) }].slice(-MAX_TOASTS) })),
    dismissToast: (id) => set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) })),
  };
};
