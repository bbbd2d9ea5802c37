import { Button, DatePicker, DatePickerInput, Pagination, Select, SelectItem, TableCell, TableRow, Tag } from '@carbon/react';
import { Download } from '@carbon/icons-react';
import { useState } from 'react';
import { auditCsvUrl, useAuditPage, type AuditFilters } from '../api/audit';
import { useAllUsers } from '../api/people';
import { AdminError } from './admin-error';
import { toDateInput } from './date-input';
import { DataTableFrame } from '../../../components/table/data-table-frame';

const NO_FILTERS: AuditFilters = { userId: '', action: '', decision: '', from: '', to: '' };
const PAGE_SIZES = [25, 50, 100, 200];

/** The audit log: every decision, filtered and paged on the server, exported as CSV. */
export function AuditPage() {
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const audit = useAuditPage(filters, page, pageSize);
  const users = useAllUsers();
  const set = (patch: Partial<AuditFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };
  const total = audit.data?.total ?? 0;

  return (
    <section className="courier-page" aria-labelledby="admin-audit-title">
      <title>Audit log · Admin · Courier</title>
      <h1 id="admin-audit-title" className="courier-page__title">
        Audit log
      </h1>
      <form className="courier-admin-filters" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
        <Select id="audit-user" labelText="Who" value={filters.userId} onChange={(e) => set({ userId: e.target.value })}>
          <SelectItem value="" text="Everyone" />
          {users.data?.map((u) => (
            <SelectItem key={u.id} value={u.id} text={`${u.displayName} (${u.username})`} />
          ))}
        </Select>
        <Select id="audit-action" labelText="Action" value={filters.action} onChange={(e) => set({ action: e.target.value })}>
          <SelectItem value="" text="Any action" />
          {audit.data?.actions.map((a) => (
            <SelectItem key={a} value={a} text={a} />
          ))}
        </Select>
        <Select
          id="audit-decision"
          labelText="Decision"
          value={filters.decision}
          onChange={(e) => set({ decision: e.target.value as AuditFilters['decision'] })}
        >
          <SelectItem value="" text="Allowed or denied" />
          <SelectItem value="allow" text="Allowed" />
          <SelectItem value="deny" text="Denied" />
        </Select>
        <DatePicker
          datePickerType="range"
          dateFormat="Y-m-d"
          onChange={(dates: Date[]) => set({ from: dates[0] ? toDateInput(dates[0]) : '', to: dates[1] ? toDateInput(dates[1]) : '' })}
        >
          <DatePickerInput id="audit-from" labelText="From" placeholder="yyyy-mm-dd" size="md" />
          <DatePickerInput id="audit-to" labelText="To" placeholder="yyyy-mm-dd" size="md" />
        </DatePicker>
        <Button kind="tertiary" size="md" onClick={() => set(NO_FILTERS)}>
          Clear filters
        </Button>
        <Button kind="primary" size="md" renderIcon={Download} href={auditCsvUrl(filters)}>
          Export CSV
        </Button>
      </form>
      {audit.isError ? <AdminError what="the audit log" error={audit.error} onRetry={() => void audit.refetch()} /> : null}
      <p role="status" className="courier-admin-count">
        {audit.isPending ? 'Loading the audit log…' : `${total} ${total === 1 ? 'entry' : 'entries'}`}
      </p>
      {audit.data && audit.data.entries.length > 0 ? (
        <DataTableFrame
          label="Audit log entries"
          headers={['Time', 'Who', 'Action', 'Decision', 'Target', 'Reason']}
          footer={
            <Pagination
              page={page}
              pageSize={pageSize}
              pageSizes={PAGE_SIZES}
              totalItems={total}
              onChange={({ page: p, pageSize: size }: { page: number; pageSize: number }) => {
                setPage(size === pageSize ? p : 1);
                setPageSize(size);
              }}
            />
          }
        >
          {audit.data.entries.map((e) => (
            <TableRow key={e.id}>
              <TableCell>
                <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>
              </TableCell>
              <TableCell>{e.username ?? e.userId ?? '—'}</TableCell>
              <TableCell>{e.action}</TableCell>
              <TableCell>{e.decision === 'deny' ? <Tag type="red">Denied</Tag> : <Tag type="green">Allowed</Tag>}</TableCell>
              <TableCell className="courier-admin-cell--wrap">{e.target ?? ''}</TableCell>
              <TableCell>{e.reason ?? ''}</TableCell>
            </TableRow>
          ))}
        </DataTableFrame>
      ) : null}
    </section>
  );
}
