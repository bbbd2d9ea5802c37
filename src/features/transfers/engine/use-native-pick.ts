import type { LocalItem } from '../../../transfer-clients';
import { useTransfersStore } from '../stores/transfers-store';
import { useDesktopClient, useTransferRunner } from './transfer-engine-provider';

/** Null (at once, inside the click) when Desktop's dialogs do not fit this folder: use the browser's. */
export type NativePick = (what: 'files' | 'folder', target: { spaceId: string; folder: string }) => Promise<number | null> | null;

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
  return (what, { spaceId, folder }) => {
    if (runner.desktopAllowed(spaceId) === false) return null;
    return (async () => {
      const items: LocalItem[] | null = what === 'files' ? await client.native.pickFiles() : await client.native.pickFolders();
      if (!items?.length) return null;
      await runner.startUpload({ spaceId, folder, sources: [], emptyFolders: [], localItems: items });
      return items.length;
    })();
  };
}
