import { useMemo } from 'react';
import { useDownloadProgress } from '../../../hooks/use-download-progress';
import { createHttpGatewayClient } from '../../../transfer-clients';
import { requestPublicPackageDownload } from '../api/public-package';

/**
 * An external recipient's download: the portal authorizes it through the personal link, Courier's
 * HTTP Gateway client carries the spec (a zip for the whole package or a folder). Only the gateway:
 * the public page does not load the IBM SDK.
 */
export function usePublicPackageDownload(link: string) {
  const client = useMemo(() => createHttpGatewayClient(), []);
  const progress = useDownloadProgress(client);

  async function start(paths: string[], title: string) {
    progress.begin(title);
    try {
      const download = await requestPublicPackageDownload(link, paths);
      const gatewayUrl = download.clients.find((c) => c.type === 'http-gateway')?.url;
      progress.follow(download.transferId, client.kind);
      await client.start({
        transferId: download.transferId,
        direction: 'download',
        transferSpec: download.transferSpec,
        ...(gatewayUrl ? { gatewayUrl } : {}),
      });
    } catch (error) {
      progress.fail((error as Error).message);
    }
  }

  return { state: progress.state, busy: progress.busy, start };
}
