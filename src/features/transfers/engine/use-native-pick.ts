import type { ConflictDecision, DecideConflicts } from '../../../lib/conflict-decision';
import type { LocalItem } from '../../../transfer-clients';
import { useTransfersStore } from '../stores/transfers-store';
import { useDesktopClient, useTransferRunner } from './transfer-engine-provider';

/** Null (at once, inside the click) when Desktop's dialogs do not fit this folder: use the browser's. */
export type NativePick = (
  what: 'files' | 'folder',
  target: { spaceId: string; folder: string },
  /** Asks the person about names that exist in the folder (replace, keep both, skip). */
  decide?: DecideConflicts,
) => Promise<number | null> | null;

/**
 * Desktop's own file and folder dialogs, when Desktop would carry the upload (it runs and the
 * person did not pick the browser): they give real local paths. `undefined` otherwise, and the
 * browser's inputs are used, as they are for a space whose node takes only gateway transfers.
 * Resolves with the number of items started, or null when the dialog was closed.
 */
export function useNativePick(): NativePick | undefined {
  const runner = useTransferRunner();
  const client = useDesktopClient();
  const available = useTransfersStore((s) => s.desktop?.available === true);
  const preference = useTransfersStore((s) => s.preference);
  if (!client || !available || preference === 'http-gateway') return undefined;
  return (what, { spaceId, folder }, decide) => {
    if (runner.desktopAllowed(spaceId) === false) return null;
    return (async () => {
      const picked: LocalItem[] | null = what === 'files' ? await client.native.pickFiles() : await client.native.pickFolders();
      if (!picked?.length) return null;
      const decisions = decide ? await decide(picked.map((item) => item.name)) : [];
      if (!decisions) return null;
      const items = applyToItems(picked, decisions);
      if (items.length === 0) return null;
      const replace = decisions.filter((d) => d.choice === 'replace').map((d) => d.name);
      await runner.startUpload({ spaceId, folder, sources: [], emptyFolders: [], localItems: items, replace });
      return items.length;
    })();
  };
}

/** Skipped items leave the upload; kept ones land under their free name (Desktop's destination). */
function applyToItems(items: LocalItem[], decisions: readonly ConflictDecision[]): LocalItem[] {
  const byName = new Map(decisions.map((d) => [d.name, d]));
  return items.flatMap((item) => {
    const decision = byName.get(item.name);
    if (!decision || decision.choice === 'replace') return [item];
    return decision.choice === 'skip' ? [] : [{ ...item, name: decision.freeName }];
  });
}
