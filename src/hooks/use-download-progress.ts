import { useEffect, useRef, useState } from 'react';
import type { TransferClient, TransferClientEvent, TransferClientKind } from '../transfer-clients';

/** One download a page without the transfer tray runs, as its progress region shows it. */
export interface DownloadState {
  title: string;
  status: TransferClientEvent['status'] | 'authorizing';
  bytesDone: number;
  bytesTotal: number | null;
  error: string | null;
  /** Which client carries it, once chosen. */
  carrier: TransferClientKind | null;
}

/**
 * The state of the one download a public page runs at a time (a share link, a package link): begun
 * while the portal authorizes it, then folded from the events of the client that carries it. Events
 * of any other transfer are ignored.
 */
export function useDownloadProgress(gateway: TransferClient, desktop?: TransferClient) {
  const [state, setState] = useState<DownloadState | null>(null);
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
    const stops = [gateway.subscribe(onEvent), desktop?.subscribe(onEvent)];
    return () => stops.forEach((stop) => stop?.());
  }, [gateway, desktop]);

  return {
    state,
    busy: state !== null && (state.status === 'authorizing' || state.status === 'starting' || state.status === 'running'),
    /** A new download, while the portal authorizes it. */
    begin: (title: string) => {
      current.current = null;
      setState({ title, status: 'authorizing', bytesDone: 0, bytesTotal: null, error: null, carrier: null });
    },
    /** Authorized: from now on the events of `transferId`, carried by `carrier`, are its progress. */
    follow: (transferId: string, carrier: TransferClientKind) => {
      current.current = transferId;
      setState((s) => s && { ...s, carrier });
    },
    fail: (message: string) => setState((s) => s && { ...s, status: 'failed', error: message }),
  };
}
