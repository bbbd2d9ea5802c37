import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import type { AsperaSdkClient } from '../../../transfer-clients';
import type { TransferRunner } from './transfer-runner';
import { useFollowDesktop } from './use-follow-desktop';
import { useServerTransferEvents } from './use-server-transfer-events';

const TransferRunnerContext = createContext<TransferRunner | null>(null);

/**
 * Gives the components below the page's transfer runner, and keeps it fed while they show: the
 * server's transfer events, and Desktop when the portal names an SDK. The app makes the runner
 * once per page and passes it in, as it does the QueryClient: transfers outlive the components
 * that start them, and the SDK registers its callbacks for the page's lifetime.
 */
export function TransferEngineProvider({ runner, children }: { runner: TransferRunner; children: ReactNode }) {
  useServerTransferEvents(runner);
  useFollowDesktop(runner);
  useReportPageClosed(runner);
  return <TransferRunnerContext value={runner}>{children}</TransferRunnerContext>;
}

export function useTransferRunner(): TransferRunner {
  const runner = useContext(TransferRunnerContext);
  if (!runner) throw new Error('useTransferRunner needs a TransferEngineProvider above it.');
  return runner;
}

/** Desktop's client once the portal named an SDK and it loaded; undefined until then. */
export function useDesktopClient(): AsperaSdkClient | undefined {
  const { desktop } = useTransferRunner();
  return useSyncExternalStore(desktop.subscribe, desktop.current);
}

/** A page closed or reloaded takes its gateway uploads with it: the portal is told why (page-closed.ts). */
function useReportPageClosed(runner: TransferRunner): void {
  useEffect(() => {
    // `persisted`: the page went into the back/forward cache and may come back; nothing ended.
    const onPageHide = (event: PageTransitionEvent) => {
      if (!event.persisted) runner.pageClosed();
    };
    window.addEventListener('pagehide', onPageHide);
    return () => window.removeEventListener('pagehide', onPageHide);
  }, [runner]);
}
