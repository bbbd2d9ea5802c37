import { useEffect, useState } from 'react';
import type { AsperaSdkAvailability, AsperaSdkClient } from '../../../transfer-clients';
import { usePublicClientConfig } from '../api/get-client-config';

export interface PublicDesktop {
  client: AsperaSdkClient;
  availability: AsperaSdkAvailability;
}

/**
 * IBM Aspera for Desktop on the public page, when the portal names an SDK URL (docs/sharing.md §10):
 * the adapter comes in its own chunk, once for the page, and its availability follows Desktop
 * (launched, quit). Null while there is no SDK URL or the chunk did not arrive: the browser carries all.
 */
export function usePublicDesktop(): PublicDesktop | null {
  const config = usePublicClientConfig().data;
  const sdkUrl = config?.asperaSdkUrl ?? null;
  const appId = config?.asperaAppId;
  const [desktop, setDesktop] = useState<PublicDesktop | null>(null);
  useEffect(() => {
    if (!sdkUrl || !appId) return;
    let unsubscribe: (() => void) | undefined;
    let cancelled = false;
    import('../../../transfer-clients/desktop-client').then(
      ({ createAsperaSdkClient }) => {
        if (cancelled) return;
        // A recipient has no account: Desktop groups these transfers apart from any user's (docs/aspera-sdk.md §3).
        const client = createAsperaSdkClient({ sdkUrl, appId: `${appId}:shares` });
        unsubscribe = client.subscribeAvailability((availability) => setDesktop({ client, availability }));
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
      unsubscribe?.();
    };
  }, [sdkUrl, appId]);
  return desktop;
}
