import { useEffect } from 'react';
import { useClientConfig } from '../api/get-client-config';
import { store } from './engine-state';
import type { TransferRunner } from './transfer-runner';

/**
 * When the portal names an SDK URL: load Desktop's client into the runner (once per runner) and
 * follow its availability into the store. Without one, Desktop stays `null` and the gateway
 * carries all.
 */
export function useFollowDesktop(runner: TransferRunner): void {
  const config = useClientConfig().data;
  const sdkUrl = config?.asperaSdkUrl ?? null;
  const appId = config?.asperaAppId;
  useEffect(() => {
    if (!sdkUrl || !appId) return;
    let unsubscribe: (() => void) | undefined;
    let cancelled = false;
    runner.desktop.load(sdkUrl, appId).then(
      (client) => {
        if (cancelled) return;
        unsubscribe = client.subscribeAvailability((availability) => store().setDesktop(availability));
      },
      // The chunk did not arrive (offline, a new deploy): Desktop stays unknown, the gateway carries all.
      () => undefined,
    );
    return () => {
      cancelled = true;
      unsubscribe?.();
    };
  }, [runner, sdkUrl, appId]);
}
