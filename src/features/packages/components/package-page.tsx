import {
  Button,
  Checkbox,
  InlineNotification,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableHeader,
  TableRow,
} from '@carbon/react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { CreateTransferResponse } from '../../../../contract/transfers';
import { errorMessage } from '../../../lib/error-message';
import { formatBytes } from '../../../lib/format-bytes';
import { authorizePackageDownload, usePackage, useRecallPackage } from '../api/packages-api';

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
  const [selected, setSelected] = useState<Set<string>>(new Set());
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
      <div className="courier-toolbar">
        <Button onClick={() => void download([])} disabled={pkg.status !== 'ready'}>
          Download all
        </Button>
        <Button kind="secondary" onClick={() => void download([...selected])} disabled={pkg.status !== 'ready' || selected.size === 0}>
          Download selected ({selected.size})
        </Button>
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
      </div>
      <TableContainer>
        <Table aria-label="Files" size="md">
          <TableHead>
            <TableRow>
              <TableHeader>Select</TableHeader>
              <TableHeader>File</TableHeader>
              <TableHeader>Size</TableHeader>
              <TableHeader>Download</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {files.map((f) => (
              <TableRow key={f.path} data-testid="package-file">
                <TableCell>
                  <Checkbox
                    id={`pick-${f.path}`}
                    labelText={`Select ${f.path}`}
                    hideLabel
                    checked={selected.has(f.path)}
                    onChange={(_, { checked }) =>
                      setSelected((s) => {
                        const next = new Set(s);
                        if (checked) next.add(f.path);
                        else next.delete(f.path);
                        return next;
                      })
                    }
                  />
                </TableCell>
                <TableCell>{f.path}</TableCell>
                <TableCell>{formatBytes(f.size)}</TableCell>
                <TableCell>
                  <Button size="sm" kind="ghost" disabled={pkg.status !== 'ready'} onClick={() => void download([f.path])}>
                    Download {f.path}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      <h2>Recipients</h2>
      <TableContainer>
        <Table aria-label="Recipients" size="md">
          <TableHead>
            <TableRow>
              <TableHeader>Recipient</TableHeader>
              <TableHeader>Receipt</TableHeader>
              <TableHeader>When</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {recipients.map((r) => (
              <TableRow key={r.id} data-testid="package-recipient">
                <TableCell>{r.name}</TableCell>
                <TableCell>{RECEIPT_WORDS[r.receipt]}</TableCell>
                <TableCell>
                  {r.downloadedAt ? new Date(r.downloadedAt).toLocaleString() : r.openedAt ? new Date(r.openedAt).toLocaleString() : ''}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </section>
  );
}
