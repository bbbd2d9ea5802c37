import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../../lib/api-client';
import { chooseClient, createHttpGatewayClient, type TransferClientEvent, type TransferClientKind } from '../../../transfer-clients';
import { publicShareKey, requestPublicDownload } from '../api/public-share';
import type { PublicDesktop } from './use-public-desktop';

export interface PublicDownloadState {
  title: string;
  status: TransferClientEvent['status'] | 'authorizing';
  bytesDone: number;
  bytesTotal: number | null;
  error: string | null;
  /** Which client carries it, once chosen. */
  carrier: TransferClientKind | null;
}

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
  const [state, setState] = useState<PublicDownloadState | null>(null);
  const current = useRef<string | null>(null);

  useEffect(() => {
    const onEvent = (event: TransferClientEvent) => {
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
    };
    const stops = [gateway.subscribe(onEvent), desktopClient?.subscribe(onEvent)];
    return () => stops.forEach((stop) => stop?.());
  }, [gateway, desktopClient]);

  async function start(paths: string[], title: string) {
    setState({ title, status: 'authorizing', bytesDone: 0, bytesTotal: null, error: null, carrier: null });
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
      current.current = download.transferId;
      setState((s) => s && { ...s, carrier: client.kind });
      await client.start({
        transferId: download.transferId,
        direction: 'download',
        transferSpec: download.transferSpec,
        ...(choice.kind === 'http-gateway' && choice.gatewayUrl ? { gatewayUrl: choice.gatewayUrl } : {}),
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
