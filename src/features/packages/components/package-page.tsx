import { Button, InlineNotification, TableCell, TableRow } from '@carbon/react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { CreateTransferResponse } from '../../../../contract/transfers';
import { DownloadActions } from '../../../components/downloads/download-actions';
import { FileTable } from '../../../components/downloads/file-table';
import { usePathSelection } from '../../../hooks/use-path-selection';
import { errorMessage } from '../../../lib/error-message';
import { authorizePackageDownload, usePackage, useRecallPackage } from '../api/packages-api';
import { DataTableFrame } from '../../../components/table/data-table-frame';

const RECEIPT_WORDS = {
  'not-opened': 'Not opened',
  opened: 'Opened',
  'partly-downloaded': 'Downloaded in part',
  downloaded: 'Downloaded',
} as const;

export interface PackagePageProps {
  id: string;
  /** The viewer's user id: the sender sees receipts and may recall. */
  userId: string;
  isAdmin: boolean;
  /** Hands a download and the package's own authorization to the transfer runner. */
  onDownload: (paths: string[], authorize: () => Promise<CreateTransferResponse>) => Promise<void>;
}

/** `/packages/:id`: its message, files with sizes, Download for all, a selection or one file; receipts. */
export function PackagePage({ id, userId, isAdmin, onDownload }: PackagePageProps) {
  const detail = usePackage(id);
  const recall = useRecallPackage();
  const navigate = useNavigate();
  const { selected, toggle } = usePathSelection();
  const [problem, setProblem] = useState<string | null>(null);

  if (detail.isError)
    return (
      <section className="courier-page" aria-labelledby="package-title">
        <h1 id="package-title" className="courier-page__title">
          Package not found
        </h1>
        <p>It does not exist, was recalled, or is not for you.</p>
      </section>
    );
  if (!detail.data) return <p role="status">Loading the package…</p>;
  const { package: pkg, files, recipients } = detail.data;
  const mine = pkg.sender.id === userId;

  const download = async (paths: string[]) => {
    setProblem(null);
    try {
      await onDownload(paths, () => authorizePackageDownload(id, paths));
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <section className="courier-page" aria-labelledby="package-title">
      <title>{`${pkg.subject} · Courier`}</title>
      <h1 id="package-title" className="courier-page__title">
        {pkg.subject}
      </h1>
      <p>
        From {pkg.sender.name}, {new Date(pkg.createdAt).toLocaleString()}; expires {new Date(pkg.expiresAt).toLocaleDateString()}.{' '}
        {pkg.status === 'ready' ? '' : `Status: ${pkg.status}.`}
      </p>
      {pkg.message ? <p className="courier-package__message">{pkg.message}</p> : null}
      {problem ? (
        <InlineNotification kind="error" role="alert" lowContrast hideCloseButton title="Download not started" subtitle={problem} />
      ) : null}
      <DownloadActions
        className="courier-toolbar"
        onAll={() => void download([])}
        selected={selected.size}
        onSelected={() => void download([...selected])}
        disabled={pkg.status !== 'ready'}
      >
        {mine || isAdmin ? (
          <Button
            kind="danger--ghost"
            onClick={() =>
              recall.mutate(id, {
                onSuccess: () => void navigate(mine ? '/sent' : '/inbox'),
                onError: (error) => setProblem(errorMessage(error)),
              })
            }
          >
            {mine ? 'Recall (delete for everyone)' : 'Delete package'}
          </Button>
        ) : null}
      </DownloadActions>
      <FileTable
        files={files}
        disabled={pkg.status !== 'ready'}
        onDownload={(path) => void download([path])}
        selection={{ selected, onToggle: toggle }}
      />
      <h2>Recipients</h2>
      <DataTableFrame label="Recipients" headers={['Recipient', 'Receipt', 'When']}>
        {recipients.map((r) => (
          <TableRow key={r.id} data-testid="package-recipient">
            <TableCell>{r.name}</TableCell>
            <TableCell>{RECEIPT_WORDS[r.receipt]}</TableCell>
            <TableCell>
              {r.downloadedAt ? new Date(r.downloadedAt).toLocaleString() : r.openedAt ? new Date(r.openedAt).toLocaleString() : ''}
            </TableCell>
          </TableRow>
        ))}
      </DataTableFrame>
    </section>
  );
}
