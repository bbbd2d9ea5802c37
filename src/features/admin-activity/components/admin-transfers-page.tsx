import { Button, DatePicker, DatePickerInput, Select, SelectItem } from '@carbon/react';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { TRANSFER_STATUSES, type TransferRecord } from '../../../../contract/transfers';
import { spacesQueryOptions } from '../../../lib/spaces-query';
import { ADMIN_TRANSFERS_PAGE_SIZE, useAdminTransfers, type AdminTransferFilters } from '../api/admin-transfers';
import { useAllUsers } from '../api/people';
import { AdminError } from './admin-error';
import { toDateInput } from './date-input';

const NO_FILTERS: AdminTransferFilters = { userId: '', spaceId: '', status: '', from: '', to: '' };
const STATUS_LABELS: Record<(typeof TRANSFER_STATUSES)[number], string> = {
  authorized: 'Authorized',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export interface AdminTransfersPageProps {
  /** Draws one transfer as the Transfers page does (the app passes that page's row: features do not import each other). */
  renderRow: (record: TransferRecord) => ReactNode;
}

/** Everyone's transfers, filtered and paged on the server. */
export function AdminTransfersPage({ renderRow }: AdminTransfersPageProps) {
  const [filters, setFilters] = useState<AdminTransferFilters>(NO_FILTERS);
  // The `before` of each page seen, so Previous goes back to exactly what was shown.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const before = cursors.at(-1) ?? null;
  const transfers = useAdminTransfers(filters, before);
  const users = useAllUsers();
  const spaces = useQuery(spacesQueryOptions());
  const set = (patch: Partial<AdminTransferFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setCursors([null]);
  };
  const rows = transfers.data ?? [];
  const last = rows.at(-1);

  return (
    <section className="courier-page" aria-labelledby="admin-transfers-title">
      <title>Transfers · Admin · Courier</title>
      <h1 id="admin-transfers-title" className="courier-page__title">
        Everyone&apos;s transfers
      </h1>
      <form className="courier-admin-filters" aria-label="Filter the transfers" onSubmit={(e) => e.preventDefault()}>
        <Select id="transfers-user" labelText="User" value={filters.userId} onChange={(e) => set({ userId: e.target.value })}>
          <SelectItem value="" text="Everyone" />
          {users.data?.map((u) => (
            <SelectItem key={u.id} value={u.id} text={`${u.displayName} (${u.username})`} />
          ))}
        </Select>
        <Select id="transfers-space" labelText="Space" value={filters.spaceId} onChange={(e) => set({ spaceId: e.target.value })}>
          <SelectItem value="" text="Any space" />
          {spaces.data?.map((s) => (
            <SelectItem key={s.id} value={s.id} text={s.name} />
          ))}
        </Select>
        <Select id="transfers-status" labelText="Status" value={filters.status} onChange={(e) => set({ status: e.target.value })}>
          <SelectItem value="" text="Any status" />
          {TRANSFER_STATUSES.map((s) => (
            <SelectItem key={s} value={s} text={STATUS_LABELS[s]} />
          ))}
        </Select>
        <DatePicker
          datePickerType="range"
          dateFormat="Y-m-d"
          onChange={(dates: Date[]) => set({ from: dates[0] ? toDateInput(dates[0]) : '', to: dates[1] ? toDateInput(dates[1]) : '' })}
        >
          <DatePickerInput id="transfers-from" labelText="From" placeholder="yyyy-mm-dd" size="md" />
          <DatePickerInput id="transfers-to" labelText="To" placeholder="yyyy-mm-dd" size="md" />
        </DatePicker>
        <Button kind="tertiary" size="md" onClick={() => set(NO_FILTERS)}>
          Clear filters
        </Button>
      </form>
      {transfers.isError ? <AdminError what="the transfers" error={transfers.error} onRetry={() => void transfers.refetch()} /> : null}
      <p role="status" className="courier-admin-count">
        {transfers.isPending
          ? 'Loading the transfers…'
          : rows.length === 0
            ? 'No transfers match.'
            : `Page ${cursors.length}: ${rows.length} ${rows.length === 1 ? 'transfer' : 'transfers'}`}
      </p>
      {rows.length > 0 ? (
        <ul className="courier-transfers" aria-label="Everyone's transfers">
          {rows.map((record) => (
            <li key={record.id} className="courier-admin-transfer">
              <span className="courier-admin-transfer__who">
                {record.userName ?? users.data?.find((u) => u.id === record.userId)?.username ?? ''}
              </span>
              <ul>{renderRow(record)}</ul>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="courier-admin-pager">
        <Button kind="tertiary" size="md" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer
        </Button>
        <Button
          kind="tertiary"
          size="md"
          disabled={!last || rows.length < ADMIN_TRANSFERS_PAGE_SIZE}
          onClick={() => last && setCursors((c) => [...c, last.createdAt])}
        >
          Older
        </Button>
      </div>
    </section>
  );
}
