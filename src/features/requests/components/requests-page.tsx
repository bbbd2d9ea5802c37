import { Button, InlineLoading, InlineNotification, Search, Select, SelectItem, TableCell, TableRow, Tag } from '@carbon/react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { FileRequest } from '../../../../contract/requests';
import { errorMessage } from '../../../lib/error-message';
import { formatBytes } from '../../../lib/format-bytes';
import { spacesQueryOptions } from '../../../lib/spaces-query';
import { useCloseRequest, useRequestDetail, useRequests, type RequestsScope } from '../api/requests';
import { CopyUrl } from './copy-url';
import { DataTableFrame } from '../../../components/table/data-table-frame';

const STATUS_TAG = { open: 'green', closed: 'gray', expired: 'warm-gray' } as const;
const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
// Typing pauses this long before the portal is asked again.
const SEARCH_PAUSE_MS = 250;

/**
 * `/requests`: the caller's file requests, each with its link, status and submissions (`/requests/<id>`
 * opens one). A space's managers may show that space's requests, admins everyone's; a search finds
 * requests by words of the title or of the requester's name (docs/file-requests.md §2).
 */
export function RequestsPage({ openRequestId = null, isAdmin = false }: { openRequestId?: string | null; isAdmin?: boolean }) {
  const [scopeValue, setScopeValue] = useState('mine');
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed.trim()), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  const spaces = useQuery(spacesQueryOptions());
  // A personal space's requests are its owner's own: "My requests" already shows them.
  const managed = (spaces.data ?? []).filter((s) => s.role === 'manager' && !s.personal);
  const scope: RequestsScope =
    scopeValue === 'all' && isAdmin
      ? { kind: 'all' }
      : scopeValue.startsWith('space:')
        ? { kind: 'space', spaceId: scopeValue.slice('space:'.length) }
        : { kind: 'mine' };
  const othersToo = scope.kind !== 'mine';
  const requests = useRequests(scope, search);
  const [shown, setShown] = useState<string | null>(openRequestId);
  return (
    <section className="courier-page courier-requests" aria-labelledby="requests-title">
      <title>File requests · Courier</title>
      <h1 id="requests-title" className="courier-page__title">
        File requests
      </h1>
      <p className="courier-page__lead">
        Links that let people without an account send you files. Create one with "Request files" on a folder.
      </p>
      <div className="courier-requests__filters">
        {isAdmin || managed.length > 0 ? (
          <Select id="courier-requests-scope" labelText="Show" value={scopeValue} onChange={(e) => setScopeValue(e.target.value)}>
            <SelectItem value="mine" text="My requests" />
            {managed.map((s) => (
              <SelectItem key={s.id} value={`space:${s.id}`} text={`Requests in ${s.name}`} />
            ))}
            {isAdmin ? <SelectItem value="all" text="Everyone's requests" /> : null}
          </Select>
        ) : null}
        <Search
          id="courier-requests-search"
          size="md"
          labelText={othersToo ? 'Search by title or requester' : 'Search by title'}
          placeholder={othersToo ? 'Title or requester' : 'Title'}
          value={typed}
          onChange={(e) => setTyped(typeof e === 'string' ? e : e.target.value)}
        />
      </div>
      {requests.isPending ? (
        <InlineLoading description="Loading your requests…" />
      ) : requests.isError ? (
        <InlineNotification
          kind="error"
          lowContrast
          hideCloseButton
          title="Requests could not be loaded"
          subtitle={errorMessage(requests.error)}
        />
      ) : requests.data.length === 0 ? (
        <p role="status">
          {search ? `No request matches "${search}".` : othersToo ? 'No file requests here yet.' : 'You have no file requests yet.'}
        </p>
      ) : (
        <DataTableFrame
          label={othersToo ? 'File requests' : 'Your file requests'}
          headers={[
            'Title',
            othersToo ? 'Requested by' : null,
            'Folder',
            'Deadline',
            'Status',
            'Received',
            <span className="cds--visually-hidden">Actions</span>,
          ]}
        >
          {requests.data.map((r) => (
            <RequestRow
              key={r.id}
              request={r}
              showRequester={othersToo}
              expanded={shown === r.id}
              onToggle={() => setShown(shown === r.id ? null : r.id)}
            />
          ))}
        </DataTableFrame>
      )}
      {shown ? <RequestDetail requestId={shown} /> : null}
    </section>
  );
}

function RequestRow({
  request,
  showRequester,
  expanded,
  onToggle,
}: {
  request: FileRequest;
  showRequester: boolean;
  expanded: boolean;
  onToggle: () => void;
}) {
  const close = useCloseRequest();
  return (
    <TableRow>
      <TableCell>{request.title}</TableCell>
      {showRequester ? <TableCell>{request.requesterName}</TableCell> : null}
      <TableCell>{request.folder}</TableCell>
      <TableCell>{when(request.deadline)}</TableCell>
      <TableCell>
        <Tag type={STATUS_TAG[request.status]} size="sm">
          {request.status}
        </Tag>
      </TableCell>
      <TableCell>
        {request.submissionCount} · {formatBytes(request.bytesReceived)}
      </TableCell>
      <TableCell>
        <Button kind="ghost" size="sm" aria-expanded={expanded} onClick={onToggle}>
          {expanded ? 'Hide' : 'Show'} details<span className="cds--visually-hidden"> of {request.title}</span>
        </Button>
        {request.status === 'open' ? (
          <Button kind="danger--ghost" size="sm" disabled={close.isPending} onClick={() => close.mutate(request.id)}>
            Close<span className="cds--visually-hidden"> {request.title}</span>
          </Button>
        ) : null}
      </TableCell>
    </TableRow>
  );
}

function RequestDetail({ requestId }: { requestId: string }) {
  const detail = useRequestDetail(requestId);
  if (detail.isPending) return <InlineLoading description="Loading the submissions…" />;
  if (detail.isError)
    return (
      <InlineNotification
        kind="error"
        lowContrast
        hideCloseButton
        title="Submissions could not be loaded"
        subtitle={errorMessage(detail.error)}
      />
    );
  const { request, submissions } = detail.data;
  return (
    <section aria-labelledby="request-detail-title" className="courier-requests__detail">
      <h2 id="request-detail-title" className="courier-guest__subtitle">
        {request.title}
      </h2>
      <CopyUrl url={request.url} />
      {submissions.length === 0 ? (
        <p>Nothing received yet.</p>
      ) : (
        <DataTableFrame label={`Submissions to ${request.title}`} headers={['From', 'When', 'What', 'Folder', 'Status']} size="sm">
          {submissions.map((s) => (
            <TableRow key={s.id}>
              <TableCell>{[s.uploaderName, s.uploaderEmail].filter(Boolean).join(' · ') || 'A guest'}</TableCell>
              <TableCell>{when(s.createdAt)}</TableCell>
              <TableCell>
                {s.fileCount} file{s.fileCount === 1 ? '' : 's'}, {formatBytes(s.bytes)}: {s.names.slice(0, 5).join(', ')}
              </TableCell>
              <TableCell>{s.folder}</TableCell>
              <TableCell>{s.status}</TableCell>
            </TableRow>
          ))}
        </DataTableFrame>
      )}
    </section>
  );
}
