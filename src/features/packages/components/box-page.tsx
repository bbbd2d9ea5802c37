import { Button, InlineNotification, Search, TableCell, TableRow, Tag, Toggle } from '@carbon/react';
import { useState } from 'react';
import { Link } from 'react-router';
import { formatBytes } from '../../../lib/format-bytes';
import { useArchivePackage, usePackages, type Box } from '../api/packages-api';
import { DataTableFrame } from '../../../components/table/data-table-frame';

const TITLES: Record<Box, string> = { inbox: 'Inbox', sent: 'Sent' };
const RECEIPT_WORDS = {
  'not-opened': 'not opened',
  opened: 'opened',
  'partly-downloaded': 'downloaded in part',
  downloaded: 'downloaded',
} as const;

/** `/inbox` and `/sent`: packages received (once their upload completed) or sent, searchable, archivable. */
export function BoxPage({ box }: { box: Box }) {
  const [q, setQ] = useState('');
  const [archived, setArchived] = useState(false);
  const list = usePackages(box, q, archived);
  const archive = useArchivePackage();
  const title = TITLES[box];
  const packages = list.data?.packages ?? [];

  return (
    <section className="courier-page" aria-labelledby="box-title">
      <title>{`${title} · Courier`}</title>
      <h1 id="box-title" className="courier-page__title">
        {title}
      </h1>
      {box === 'inbox' ? <p data-testid="unread-count">{list.data ? `${list.data.unread} unread` : ''}</p> : null}
      <Search
        id={`${box}-search`}
        labelText="Search by sender or subject"
        placeholder="Search by sender or subject"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        size="md"
      />
      <Toggle id={`${box}-archived`} labelText="Show archived" toggled={archived} onToggle={setArchived} size="sm" />
      {list.isError ? (
        <InlineNotification
          kind="error"
          role="alert"
          lowContrast
          hideCloseButton
          title="Packages not loaded"
          subtitle={list.error.message}
        />
      ) : null}
      {list.data && packages.length === 0 ? <p>{box === 'inbox' ? 'No packages here yet.' : 'You have not sent a package yet.'}</p> : null}
      {packages.length > 0 ? (
        <DataTableFrame label={title} headers={['Subject', box === 'inbox' ? 'From' : 'Status and receipts', 'Files', 'Sent', 'Actions']}>
          {packages.map((p) => (
            <TableRow key={p.id} data-testid="package-row">
              <TableCell>
                <Link to={`/packages/${p.id}`}>{p.unread ? <strong>{p.subject}</strong> : p.subject}</Link>
                {p.unread ? (
                  <Tag type="blue" size="sm">
                    New
                  </Tag>
                ) : null}
              </TableCell>
              <TableCell>
                {box === 'inbox' ? (
                  p.sender.name
                ) : (
                  <>
                    {p.status}
                    {p.receipts && p.receipts.length > 0 ? (
                      <ul aria-label={`Receipts of ${p.subject}`} className="courier-package__receipts">
                        {p.receipts.map((r) => (
                          <li key={r.name} data-testid="sent-receipt">{`${r.name}: ${RECEIPT_WORDS[r.receipt]}`}</li>
                        ))}
                      </ul>
                    ) : null}
                  </>
                )}
              </TableCell>
              <TableCell>
                {p.fileCount} ({formatBytes(p.bytes)})
              </TableCell>
              <TableCell>{new Date(p.createdAt).toLocaleString()}</TableCell>
              <TableCell>
                <Button size="sm" kind="ghost" onClick={() => archive.mutate({ id: p.id, archived: !p.archived })}>
                  {p.archived ? `Unarchive ${p.subject}` : `Archive ${p.subject}`}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </DataTableFrame>
      ) : null}
    </section>
  );
}
