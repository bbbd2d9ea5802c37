import { useState } from 'react';
import type { NameConflict } from '../../../../contract/files';
import { useNameConflictsCheck } from '../api/name-conflicts';
import { ConflictDialog } from '../components/conflict-dialog';
import { applyDecisions, topNames, type ConflictChoice, type ConflictDecision, type UploadParts } from '../lib/conflict-decisions';

interface Asking {
  conflicts: NameConflict[];
  decisions: ConflictDecision[];
  finish: (decisions: ConflictDecision[] | null) => void;
}

/**
 * Before an upload starts: asks the portal which of its names exist in the folder, and the person
 * what to do with each (replace, keep both, skip; one by one or for all). `resolve` gives the
 * upload as decided, or null when the person cancelled or skipped everything.
 */
export function useUploadConflicts(options: { spaceId: string; folder: string; destination: string; canReplace: boolean }) {
  const check = useNameConflictsCheck(options.spaceId, options.folder);
  const [asking, setAsking] = useState<Asking | null>(null);

  /** The decision for each of these names that exists (none when none does); null when cancelled. */
  async function decide(names: string[]): Promise<ConflictDecision[] | null> {
    const conflicts = await check(names);
    if (conflicts.length === 0) return [];
    return new Promise<ConflictDecision[] | null>((finish) => setAsking({ conflicts, decisions: [], finish }));
  }

  async function resolve<T extends UploadParts>(upload: T): Promise<(T & { replace: string[] }) | null> {
    const decisions = await decide(topNames(upload));
    if (!decisions) return null;
    const decided = applyDecisions(upload, decisions);
    return decided.sources.length + decided.emptyFolders.length > 0 ? decided : null;
  }

  const choose = (choice: ConflictChoice, applyToAll: boolean) => {
    if (!asking) return;
    const next = asking.decisions.length;
    const deciding = applyToAll ? asking.conflicts.slice(next) : [asking.conflicts[next] as NameConflict];
    const decisions = [...asking.decisions, ...deciding.map((c) => ({ name: c.name, choice, freeName: c.freeName }))];
    if (decisions.length < asking.conflicts.length) {
      setAsking({ ...asking, decisions });
      return;
    }
    setAsking(null);
    asking.finish(decisions);
  };

  const current = asking?.conflicts[asking.decisions.length];
  const dialog =
    asking && current ? (
      <ConflictDialog
        // A fresh dialog per conflict: "apply to all" starts unticked each time.
        key={current.name}
        conflict={current}
        remaining={asking.conflicts.length - asking.decisions.length - 1}
        destination={options.destination}
        canReplace={options.canReplace}
        onChoose={choose}
        onCancel={() => {
          setAsking(null);
          asking.finish(null);
        }}
      />
    ) : null;

  return { resolve, decide, dialog };
}
