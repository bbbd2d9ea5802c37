import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { AsperaSdkClient, LocalItem } from '../../../transfer-clients';
import { useClientConfig } from '../api/get-client-config';
import { useTransfersStore } from '../stores/transfers-store';
import { getTransferRunner, useTransferRunner } from './use-transfer-runner';

// One per page, like the SDK bundle it loads (a second copy would replace the initialised one).
let desktop: AsperaSdkClient | undefined;
let loading: Promise<AsperaSdkClient> | undefined;

/** The adapter arrives in its own chunk, fetched only when the portal names an SDK URL. */
function loadDesktopClient(sdkUrl: string, appId: string): Promise<AsperaSdkClient> {
  loading ??= import('../../../transfer-clients/desktop-client').then(({ createAsperaSdkClient }) => {
    desktop = createAsperaSdkClient({ sdkUrl, appId });
    return desktop;
  });
  loading.catch(() => {
    loading = undefined; // a later page may try the chunk again
  });
  return loading;
}

/** Desktop's client, once the portal's settings named an SDK and a page component asked for it. */
export const getDesktopClient = (): AsperaSdkClient | undefined => desktop;

/**
 * When the portal names an SDK URL: create Desktop's client once, hand it to the runner, and follow
 * its availability into the store. Without one, Desktop stays `null` and the gateway carries all.
 */
export function useFollowDesktop(): void {
  const queryClient = useQueryClient();
  const config = useClientConfig().data;
  const sdkUrl = config?.asperaSdkUrl ?? null;
  const appId = config?.asperaAppId;
  useEffect(() => {
    if (!sdkUrl || !appId) return;
    let unsubscribe: (() => void) | undefined;
    let cancelled = false;
    loadDesktopClient(sdkUrl, appId).then(
      (client) => {
        if (cancelled) return;
        getTransferRunner(queryClient).attachDesktop(client);
        unsubscribe = client.subscribeAvailability((availability) => useTransfersStore.getState().setDesktop(availability));
      },
      // The chunk did not arrive (offline, a new deploy): Desktop stays unknown, the gateway carries all.
      () => undefined,
    );
    return () => {
      cancelled = true;
      unsubscribe?.();
    };
  }, [queryClient, sdkUrl, appId]);
}

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
  const available = useTransfersStore((s) => s.desktop?.available === true);
  const preference = useTransfersStore((s) => s.preference);
  const client = desktop;
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
