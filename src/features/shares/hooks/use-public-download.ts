import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../../lib/api-client';
import { createHttpGatewayClient, type TransferClientEvent } from '../../../transfer-clients';
import { publicShareKey, requestPublicDownload } from '../api/public-share';

export interface PublicDownloadState {
  title: string;
  status: TransferClientEvent['status'] | 'authorizing';
  bytesDone: number;
  bytesTotal: number | null;
  error: string | null;
}

/**
 * A recipient's download, as a logged-in download goes: the portal authorizes it (here through the
 * link), Courier's HTTP Gateway client carries the spec (a zip for a folder or several items).
 * Only the gateway: the public page does not load the IBM SDK.
 */
export function usePublicDownload(linkId: string) {
  const client = useMemo(() => createHttpGatewayClient(), []);
  const queryClient = useQueryClient();
  const [state, setState] = useState<PublicDownloadState | null>(null);
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
      const download = await requestPublicDownload(linkId, paths);
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
      // A link that ended meanwhile (used up, revoked): the page shows why.
      if (error instanceof ApiError && error.status === 410) await queryClient.invalidateQueries({ queryKey: publicShareKey(linkId) });
    }
  }

  return {
    state,
    start,
    busy: state !== null && (state.status === 'authorizing' || state.status === 'starting' || state.status === 'running'),
  };
}
