import { Button } from '@carbon/react';
import { useTransfers } from '../api/get-transfers';
import { useTransfersStore } from '../stores/transfers-store';
import { TransferClientControl } from './transfer-client-control';
import { TransferClientLine } from './transfer-client-line';
import { TransferRow } from './transfer-row';

export function TransfersPage() {
  const transfers = useTransfers();
  const removed = useTransfersStore((s) => s.removed);
  const shown = transfers.data?.filter((t) => !removed[t.id]) ?? [];
  return (
    <section className="courier-page" aria-labelledby="transfers-title">
      <title>Transfers · Courier</title>
      <h1 id="transfers-title" className="courier-page__title">
        Transfers
      </h1>
      <TransferClientControl />
      <TransferClientLine ids={shown.map((t) => t.id)} />
      {transfers.isPending ? <p className="courier-files-state">Loading your transfers…</p> : null}
      {transfers.isError ? (
        <div className="courier-files-state" role="alert">
          <p className="courier-files-state__title">Your transfers could not be listed</p>
          <p>
            {transfers.error.code === 'NETWORK_ERROR'
              ? 'Courier cannot be reached. Check your connection.'
              : `Something went wrong (${transfers.error.code}).`}
          </p>
          <Button kind="tertiary" size="sm" onClick={() => void transfers.refetch()}>
            Try again
          </Button>
        </div>
      ) : null}
      {transfers.isSuccess && shown.length === 0 ? (
        <p className="courier-files-state">
          No transfers yet. Drop files on a folder in Files to upload them, or select files there to download.
        </p>
      ) : null}
      {shown.length > 0 ? (
        <ul className="courier-transfers" aria-label="Transfers">
          {shown.map((record) => (
            <TransferRow key={record.id} record={record} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
