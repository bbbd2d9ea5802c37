import { create } from 'zustand';
import type { UploadRequest } from '../hooks/use-upload-intake';

/** Files picked or dropped when the session had already ended, kept (in this page's memory) for after login. */
export interface HeldUpload {
  spaceId: string;
  folder: string;
  upload: UploadRequest;
}

interface HeldUploads {
  /** Whose session the held upload was picked in: the next user to log in sees it only if it is theirs. */
  owner: string | null;
  held: HeldUpload | null;
  hold: (held: HeldUpload) => void;
  /** Called with each logged-in user: someone else logging in on this browser never sees another's files. */
  keepOnlyFor: (userId: string) => void;
  /** Takes the held upload (to start it or to drop it). */
  take: () => HeldUpload | null;
}

/**
 * The browser cannot give files back after a page load, so files picked just as the session ended
 * would be lost to the login page; the login is an in-app navigation, so they can wait here.
 */
export const useHeldUploads = create<HeldUploads>()((set, get) => ({
  owner: null,
  held: null,
  hold: (held) => set({ held }),
  keepOnlyFor: (userId) => {
    const { owner } = get();
    if (owner === userId) return;
    set({ owner: userId, held: owner === null ? get().held : null });
  },
  take: () => {
    const { held } = get();
    set({ held: null });
    return held;
  },
}));
