/**
 * What the person chose for a name of an upload that exists in the folder. Shared by the files
 * feature (which asks) and the transfer engine (which applies it to Desktop's picked items).
 */
export type ConflictChoice = 'replace' | 'keep-both' | 'skip';

export interface ConflictDecision {
  name: string;
  choice: ConflictChoice;
  /** The free name beside it the portal proposed, used for "keep both". */
  freeName: string;
}

/** Asks the person about these top-level names; null when they cancelled. */
export type DecideConflicts = (names: string[]) => Promise<ConflictDecision[] | null>;
