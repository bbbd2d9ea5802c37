import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useDownloadProgress } from '../../../hooks/use-download-progress';
import { ApiError } from '../../../lib/api-client';
import { chooseClient, createHttpGatewayClient, type TransferClientKind } from '../../../transfer-clients';
import { publicShareKey, requestPublicDownload } from '../api/public-share';
import type { PublicDesktop } from './use-public-desktop';

/** The recipient's choice of client; `auto` is Desktop when it runs and the link's server allows it. */
export type PublicClientPreference = 'auto' | TransferClientKind;

/**
 * A recipient's download, as a logged-in download goes: the portal authorizes it (here through the
 * link), then the client `chooseClient` picks carries the spec: IBM Aspera for Desktop where it runs
 * and the portal allows it (docs/sharing.md §10), else Courier's HTTP Gateway client (a zip for a
 * folder or several items).
 */
export function usePublicDownload(linkId: string, desktop: PublicDesktop | null, preference: PublicClientPreference) {
  const gateway = useMemo(() => createHttpGatewayClient(), []);
  const desktopClient = desktop?.client;
  const queryClient = useQueryClient();
  const progress = useDownloadProgress(gateway, desktopClient);

  async function start(paths: string[], title: string) {
    progress.begin(title);
    try {
      // The record names the client the page means to use; the answer's `clients` then decide.
      const wanted: TransferClientKind =
        preference !== 'http-gateway' && desktop?.availability.available === true ? 'desktop' : 'http-gateway';
      const download = await requestPublicDownload(linkId, paths, wanted);
      const choice = chooseClient({
        allowed: download.clients,
        ...(desktop ? { desktop: desktop.availability } : {}),
        ...(preference === 'auto' ? {} : { override: preference }),
      });
      if (choice.kind === null) throw new Error(choice.reason);
      const client = choice.kind === 'desktop' && desktop ? desktop.client : gateway;
      progress.follow(download.transferId, client.kind);
      await client.start({
        transferId: download.transferId,
        direction: 'download',
        transferSpec: download.transferSpec,
        ...(choice.kind === 'http-gateway' && choice.gatewayUrl ? { gatewayUrl: choice.gatewayUrl } : {}),
      });
    } catch (error) {
      progress.fail((error as Error).message);
      // A link that ended meanwhile (used up, revoked): the page shows why.
      if (error instanceof ApiError && error.status === 410) await queryClient.invalidateQueries({ queryKey: publicShareKey(linkId) });
    }
  }

  return { state: progress.state, busy: progress.busy, start };
}
