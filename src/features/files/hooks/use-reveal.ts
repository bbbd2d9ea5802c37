import { useEffect, useRef } from 'react';

export interface RevealOptions {
  /** An entry just created or renamed, to bring into view once the listing holds it. */
  reveal: string | null | undefined;
  onRevealed: (() => void) | undefined;
  /** The entry's row among the rows loaded so far, or -1. */
  indexOf: (path: string) => number;
  /** When the listing was last fetched. */
  listedAt: number;
  /** Scrolls to, selects and activates the row, as file managers do. */
  onFound: (index: number, path: string) => void;
}

/**
 * Waits for `reveal` to appear in the listing, then hands its row to `onFound` and calls
 * `onRevealed`. Gives up once a listing newer than the one it was asked in still lacks it.
 */
export function useReveal({ reveal, onRevealed, indexOf, listedAt, onFound }: RevealOptions): void {
  // The listing as it was when `reveal` was asked for.
  const revealSince = useRef({ path: reveal, listedAt });
  useEffect(() => {
    if (!reveal) return;
    if (revealSince.current.path !== reveal) revealSince.current = { path: reveal, listedAt };
    // Only among rows already loaded: a page of a huge folder is not fetched for this.
    const i = indexOf(reveal);
    if (i >= 0) {
      onFound(i, reveal);
      onRevealed?.();
    } else if (listedAt > revealSince.current.listedAt) {
      // Not there after a newer listing than the one the entry was asked for in: let it go.
      onRevealed?.();
    }
  }, [reveal, onRevealed, indexOf, listedAt, onFound]);
}
