import { create } from 'zustand';

interface SessionClock {
  /** When (this browser's Date.now()) the session ends unless used again; null before any answer. */
  endsAt: number | null;
  /** From an answer's SESSION_ENDS_IN_HEADER (contract/session-header.ts): relative to now. */
  endsIn: (ms: number) => void;
}

/** Set by every answer from the portal (src/app/query-client.ts), read by the session keeper. */
export const useSessionClock = create<SessionClock>()((set) => ({
  endsAt: null,
  endsIn: (ms) => set({ endsAt: Date.now() + ms }),
}));
