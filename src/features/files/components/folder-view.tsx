import { Upload } from '@carbon/icons-react';
import { useCallback, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { roleAllows } from '../../../../contract/roles';
import { baseName } from '../../../../contract/space-path';
import { useSpace } from '../api/get-spaces';
import { useFolderDialogs } from '../hooks/use-folder-dialogs';
import { useUploadIntake, type UploadRequest } from '../hooks/use-upload-intake';
import { describeFileError } from '../lib/describe-file-error';
import { nextSort, type SortState } from '../lib/folder-sort';
import { folderUrl } from '../../../lib/folder-url';
import { emptySelection, type Selection } from '../lib/selection';
import { FolderBreadcrumbs } from './folder-breadcrumbs';
import { FolderNotices, type FolderNotice } from './folder-notices';
import { FolderState } from './folder-state';
import { FolderTable } from './folder-table';
import { FolderToolbar } from './folder-toolbar';
import { UploadReviewDialog } from './upload-review-dialog';

export interface FolderViewProps {
  spaceId: string;
  path: string;
  /** Starts an upload of what was dropped or picked into this folder; rejects with an ApiError. */
  onUpload: (request: { spaceId: string; folder: string } & UploadRequest) => Promise<void>;
  /** Starts a download of these space paths; rejects with an ApiError. */
  onDownload: (request: { spaceId: string; paths: string[] }) => Promise<void>;
  /**
   * When set, "Upload files" and "Upload folder" open the transfer client's own dialogs (real
   * local paths) instead of the browser's; resolves with the number of items started, null when
   * the dialog was closed; rejects with what went wrong. Returns null (synchronously, while the
   * click still allows a file dialog) when the browser's own dialog should open instead.
   */
  onNativePick?: ((what: 'files' | 'folder', target: { spaceId: string; folder: string }) => Promise<number | null> | null) | undefined;
  /** Shown under the toolbar: which client uploads go through, and the choice of it. */
  uploadClient?: ReactNode;
  /** The route's own actions in the toolbar, after the folder's ("Share", "Send"). */
  toolbarActions?: ReactNode;
}

export function FolderView({ spaceId, path, onUpload, onDownload, onNativePick, uploadClient, toolbarActions }: FolderViewProps) {
  const navigate = useNavigate();
  const space = useSpace(spaceId);
  const role = space.data?.role ?? null;
  const can = {
    upload: roleAllows(role, 'upload'),
    rename: roleAllows(role, 'rename'),
    delete: roleAllows(role, 'delete'),
  };
  const [sort, setSort] = useState<SortState>({ column: 'name', direction: 'ascending' });
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [notice, setNotice] = useState<FolderNotice | null>(null);
  /** A folder just created or renamed, for the table to bring into view. */
  const [reveal, setReveal] = useState<string | null>(null);
  const selected = [...selection.paths];
  const folderName = path === '/' ? (space.data?.name ?? 'Files') : baseName(path);

  const clearReveal = useCallback(() => setReveal(null), []);

  const startUpload = (upload: UploadRequest) => {
    setNotice(null);
    // Once started, the upload shows in the transfer tray on every page; only a refusal is said here.
    onUpload({ spaceId, folder: path, ...upload }).catch((error: unknown) =>
      setNotice({ kind: 'error', title: 'The upload did not start', subtitle: describeFileError(error) }),
    );
  };
  const intake = useUploadIntake(can.upload, startUpload);

  /** True when the transfer client's own dialog opened; false leaves it to the browser's. */
  const pick = (what: 'files' | 'folder') => {
    const native = onNativePick?.(what, { spaceId, folder: path });
    if (!native) return false;
    setNotice(null);
    native.catch((error: unknown) => setNotice({ kind: 'error', title: 'The upload did not start', subtitle: describeFileError(error) }));
    return true;
  };

  const startDownload = () => {
    setNotice(null);
    onDownload({ spaceId, paths: selected }).catch((error: unknown) =>
      setNotice({ kind: 'error', title: 'The download did not start', subtitle: describeFileError(error) }),
    );
  };

  const dialogs = useFolderDialogs({
    spaceId,
    path,
    selected,
    onCreated: setReveal,
    onRenamed: (renamed) => {
      setSelection(emptySelection);
      setReveal(renamed);
    },
    onDeleted: (results) => {
      const gone = results.filter((r) => r.ok).map((r) => r.path);
      setSelection({ paths: new Set(selected.filter((p) => !gone.includes(p))), anchor: null });
      if (results.every((r) => r.ok)) {
        setNotice({ kind: 'success', title: 'Deleted', subtitle: `${results.length} ${results.length === 1 ? 'item' : 'items'} deleted.` });
      }
    },
  });

  return (
    <section
      className={`courier-page courier-files${intake.dragging ? ' courier-files--dragging' : ''}`}
      aria-labelledby="folder-title"
      {...intake.dropHandlers}
    >
      <title>{`${folderName} · Courier`}</title>
      <FolderBreadcrumbs spaceId={spaceId} spaceName={space.data?.name ?? '…'} path={path} />
      <h1 id="folder-title" className="courier-page__title courier-files__title">
        {folderName}
      </h1>

      <FolderToolbar
        role={role}
        selectedCount={selected.length}
        onPick={pick}
        onPicked={intake.pick}
        onNewFolder={() => dialogs.open('new-folder')}
        onDownload={startDownload}
        onRename={() => dialogs.open('rename')}
        onDelete={() => dialogs.open('delete')}
        actions={toolbarActions}
      />

      {can.upload ? uploadClient : null}
      <FolderNotices intake={intake.state} onDismissIntake={intake.dismiss} notice={notice} onDismissNotice={() => setNotice(null)} />

      <FolderTable
        spaceId={spaceId}
        path={path}
        label={`Contents of ${folderName}`}
        sort={sort}
        onSortChange={(column) => setSort((s) => nextSort(s, column))}
        selection={selection}
        onSelectionChange={setSelection}
        reveal={reveal}
        onRevealed={clearReveal}
        onOpen={(entry) => {
          if (entry.type === 'folder') void navigate(folderUrl(spaceId, entry.path));
        }}
        onDeleteKey={can.delete && selected.length > 0 ? () => dialogs.open('delete') : undefined}
        onRenameKey={can.rename && selected.length === 1 ? () => dialogs.open('rename') : undefined}
        renderEmpty={(rows) => (
          <FolderState
            spaceId={spaceId}
            pending={rows.firstPage.isPending}
            error={rows.firstPage.error}
            canUpload={can.upload}
            onRetry={() => void rows.firstPage.refetch()}
          />
        )}
      />

      {intake.dragging ? (
        <div className="courier-files__drop-target" aria-hidden="true">
          <Upload size={32} />
          <p>Drop to upload to {folderName}</p>
        </div>
      ) : null}

      {intake.state.step === 'review' ? (
        <UploadReviewDialog
          upload={intake.state.upload}
          fileCount={intake.state.fileCount}
          bytes={intake.state.bytes}
          destination={folderName}
          onConfirm={intake.confirm}
          onClose={intake.dismiss}
        />
      ) : null}
      {dialogs.dialogs}
    </section>
  );
}
