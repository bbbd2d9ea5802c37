import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type {
  AsperaSdkAvailability,
  TransferClientEvent,
  TransferClientKind,
  TransferClientStatus,
} from '../../../transfer-clients';
import { ema } from '../lib/ema';
import { getEta } from '../lib/get-eta';
import { createProgressBatch } from '../lib/progress-batch';
import { writeOnChange } from '../lib/write-on-change';

/**
 * Rate and ETA are recomputed at most every 250 ms (4 Hz): often enough to feel live, rarely
 * enough that 500 running transfers do not turn every progress event into a re-render and the
 * rate is measured over a span long enough not to jitter.
 */
export const RATE_INTERVAL_MS = 250;
// Running progress reaches the store at most every 100 ms (10 Hz, still smooth for a bar): see
// progress-batch.ts for why one store update per event does not scale to 500 transfers.
export const PROGRESS_FLUSH_MS = 100;
// Weight of the newest rate sample: about the last 2 s (8 samples) dominate the average.
const RATE_ALPHA = 0.25;

/** What only the browser knows about a transfer while it runs; the record stays in TanStack Query. */
export interface LiveProgress {
  status: TransferClientStatus;
  bytesDone: number;
  bytesTotal: number | null;
  /** Smoothed bytes per second; null until measured. */
  rate: number | null;
  /** Seconds left, only once the rate is stable (see get-eta.ts). */
  eta: number | null;
  samples: number;
  sampledAt: number;
  sampledBytes: number;
  error?: { code: string; message: string } | undefined;
  handedToBrowser?: boolean | undefined;
}

interface ProgressSlice {
  byId: Record<string, LiveProgress>;
  apply: (event: TransferClientEvent, now?: number) => void;
  forget: (transferId: string) => void;
}

interface RemovedSlice {
  /** Transfers the user removed from the list (the API keeps every record; this hides it here). */
  removed: Record<string, true>;
  remove: (transferId: string) => void;
}

interface AnnouncerSlice {
  /** The last sentence for the polite live region; `seq` makes a repeated sentence announce again. */
  announcement: { text: string; seq: number };
  announce: (text: string) => void;
}

export interface TransferToast {
  id: number;
  kind: 'success' | 'error';
  title: string;
  subtitle: string;
}

interface ToastSlice {
  toasts: TransferToast[];
  pushToast: (toast: Omit<TransferToast, 'id'>) => void;
  dismissToast: (id: number) => void;
}

/** The person's choice of client: `auto` lets Courier pick per transfer (chooseClient). */
export type ClientPreference = 'auto' | TransferClientKind;

/** Which client carries a transfer this page started, and why (shown in its row). */
export interface TransferCarrier {
  kind: TransferClientKind;
  reason: string;
}

interface ClientSlice {
  /** Desktop's availability as the SDK reports it; null while the SDK is not configured. */
  desktop: AsperaSdkAvailability | null;
  setDesktop: (availability: AsperaSdkAvailability | null) => void;
  preference: ClientPreference;
  setPreference: (preference: ClientPreference) => void;
  carriers: Record<string, TransferCarrier>;
  setCarrier: (transferId: string, carrier: TransferCarrier) => void;
}

export type TransferStore = ProgressSlice & RemovedSlice & AnnouncerSlice & ToastSlice & ClientSlice;
type PersistedTransfers = Pick<TransferStore, 'removed' | 'preference' | 'carriers'>;

let toastSeq = 0;
// A burst of endings (a batch cancelled) shows the latest few, not a wall of toasts.
const MAX_TOASTS = 4;

export function nextProgress(previous: LiveProgress | undefined, event: TransferClientEvent, now: number): LiveProgress {
  const base: LiveProgress = previous ?? {
    status: event.status,
    bytesDone: 0,
    bytesTotal: event.bytesTotal,
    rate: null,
    eta: null,
    samples: 0,
    sampledAt: now,
    sampledBytes: event.bytesDone,
  };
  const next: LiveProgress = {
    ...base,
    status: event.status,
    bytesDone: event.bytesDone,
    bytesTotal: event.bytesTotal ?? base.bytesTotal,
    error: event.error,
    handedToBrowser: event.handedToBrowser ?? base.handedToBrowser,
  };
  if (event.status !== 'running') return { ...next, rate: event.status === 'completed' ? base.rate : null, eta: null };
  const elapsed = now - base.sampledAt;
  if (elapsed < RATE_INTERVAL_MS) return next;
  const sample = ((event.bytesDone - base.sampledBytes) * 1000) / elapsed;
  const rate = ema(base.rate, Math.max(0, sample), RATE_ALPHA);
  const samples = base.samples + 1;
  return {
    ...next,
    rate,
    samples,
    sampledAt: now,
    sampledBytes: event.bytesDone,
    eta: getEta({ bytesDone: event.bytesDone, bytesTotal: next.bytesTotal, rate, samples }),
  };
}

const progress = createProgressBatch(PROGRESS_FLUSH_MS, (events) =>
  useTransferStore.setState((state) => {
    const byId = { ...state.byId };
    for (const { event, now } of events) byId[event.transferId] = nextProgress(byId[event.transferId], event, now);
    return { byId };
  }),
);

export const useTransferStore = create<TransferStore>()(
  persist(
    (set) => ({
      byId: {},
      apply: (event, now = Date.now()) => progress.add(event, now),
      forget: (transferId) => {
        progress.flush();
        set((state) => {
          const { [transferId]: _gone, ...byId } = state.byId;
          const { [transferId]: _carrier, ...carriers } = state.carriers;
          return { byId, carriers };
        });
      },
      removed: {},
      remove: (transferId) => set((state) => ({ removed: { ...state.removed, [transferId]: true } })),
      announcement: { text: '', seq: 0 },
      announce: (text) => set((state) => ({ announcement: { text, seq: state.announcement.seq + 1 } })),
      toasts: [],
      pushToast: (toast) =>
        set((state) => ({ toasts: [...state.toasts, { ...toast, id: (toastSeq += 1) }].slice(-MAX_TOASTS) })),
      dismissToast: (id) => set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) })),
      desktop: null,
      setDesktop: (desktop) => set({ desktop }),
      preference: 'auto',
      setPreference: (preference) => set({ preference }),
      carriers: {},
      setCarrier: (transferId, carrier) => set((state) => ({ carriers: { ...state.carriers, [transferId]: carrier } })),
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
export const useLiveProgress = (transferId: string) =>
  useTransferStore((state) => state.byId[transferId]);
