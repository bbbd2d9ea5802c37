import { useEffect, useMemo, useRef, useState } from 'react';
import { createHttpGatewayClient, type TransferClientEvent } from '../../../transfer-clients';
import { requestPublicPackageDownload } from '../api/public-package';

export interface PublicPackageDownloadState {
  title: string;
  status: TransferClientEvent['status'] | 'authorizing';
  bytesDone: number;
  bytesTotal: number | null;
  error: string | null;
}

/**
 * An external recipient's download: the portal authorizes it through the personal link, Courier's
 * HTTP Gateway client carries the spec (a zip for the whole package or a folder). Only the gateway:
 * the public page does not load the IBM SDK.
 */
export function usePublicPackageDownload(link: string) {
  const client = useMemo(() => createHttpGatewayClient(), []);
  const [state, setState] = useState<PublicPackageDownloadState | null>(null);
  const current = useRef<string | null>(null);

  useEffect(
    () =>
      client.subscribe((event) => {
        if (event.transferId !== current.current) return;
        setState(
          (s) =>
            s && {
              ...s,
              status: event.status,
              bytesDone: event.bytesDone,
              bytesTotal: event.bytesTotal,
              error: event.error?.message ?? null,
            },
        );
      }),
    [client],
  );

  async function start(paths: string[], title: string) {
    setState({ title, status: 'authorizing', bytesDone: 0, bytesTotal: null, error: null });
    try {
      const download = await requestPublicPackageDownload(link, paths);
      const gatewayUrl = download.clients.find((c) => c.type === 'http-gateway')?.url;
      current.current = download.transferId;
      await client.start({
        transferId: download.transferId,
        direction: 'download',
        transferSpec: download.transferSpec,
        ...(gatewayUrl ? { gatewayUrl } : {}),
      });
    } catch (error) {
      setState((s) => s && { ...s, status: 'failed', error: (error as Error).message });
    }
  }

  return {
    state,
    start,
    busy: state !== null && (state.status === 'authorizing' || state.status === 'starting' || state.status === 'running'),
  };
}
