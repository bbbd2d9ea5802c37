import { useTransfersStore } from '../stores/transfers-store';

export const CLIENT_NAME = { desktop: 'IBM Aspera for Desktop', 'http-gateway': 'HTTP Gateway' } as const;

/**
 * Which client carries the transfers and why, said once for the page rather than on every row:
 * the newest transfer's, since the reason (the server's clients, Desktop's state, the person's
 * choice) is the same for all transfers started under it.
 */
export function TransferClientLine({ ids }: { ids: string[] }) {
  const carrier = useTransfersStore((s) => {
    for (const id of ids) if (s.carriers[id]) return s.carriers[id];
    return undefined;
  });
  if (!carrier) return null;
  return (
    <p className="courier-transfer-client-line">
      {CLIENT_NAME[carrier.kind]}
      {carrier.reason ? ` — ${carrier.reason}` : ''}
    </p>
  );
}
