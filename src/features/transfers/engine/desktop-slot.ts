import type { AsperaSdkClient } from '../../../transfer-clients';

/** Where the runner holds Desktop's client: the one place it is kept, once the SDK is configured. */
export interface DesktopSlot {
  current(): AsperaSdkClient | undefined;
  /** Called once, when the client arrives; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  /** The first client wins: a second would set the SDK up again (see load). */
  attach(client: AsperaSdkClient): void;
  /**
   * Loads the adapter and creates the client, once: like the SDK bundle it loads, one per page (a
   * second copy would replace the initialised one). The adapter arrives in its own chunk, fetched
   * only when the portal names an SDK URL.
   */
  load(sdkUrl: string, appId: string): Promise<AsperaSdkClient>;
}

export function createDesktopSlot(): DesktopSlot {
  let client: AsperaSdkClient | undefined;
  let loading: Promise<AsperaSdkClient> | undefined;
  const listeners = new Set<() => void>();

  const slot: DesktopSlot = {
    current: () => client,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    attach(next) {
      if (client) return;
      client = next;
      for (const listener of [...listeners]) listener();
    },
    load(sdkUrl, appId) {
      loading ??= import('../../../transfer-clients/desktop-client').then(({ createAsperaSdkClient }) => {
        const created = createAsperaSdkClient({ sdkUrl, appId });
        slot.attach(created);
        return client ?? created;
      });
      loading.catch(() => {
        loading = undefined; // a later page may try the chunk again
      });
      return loading;
    },
  };
  return slot;
}
