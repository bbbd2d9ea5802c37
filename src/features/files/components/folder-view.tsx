import { Upload } from '@carbon/icons-react';
import { isCancelledError } from '@tanstack/react-query';
import { useCallback, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { roleAllows } from '../../../../contract/roles';
import { baseName } from '../../../../contract/space-path';
import { useSpace } from '../api/get-spaces';
import { useFolderCount } from '../hooks/use-folder-count';
import { useFolderDialogs } from '../hooks/use-folder-dialogs';
import { useUploadConflicts } from '../hooks/use-upload-conflicts';
import { useUploadIntake, type UploadRequest } from '../hooks/use-upload-intake';
import { describeFileError } from '../lib/describe-file-error';
import { isSessionLostError } from '../../../lib/api-error';
import { useHeldUploads } from '../stores/held-upload';
import { nextSort, type SortState } from '../lib/folder-sort';
import type { DecideConflicts } from '../../../lib/conflict-decision';
import { folderUrl } from '../../../lib/folder-url';
import { emptySelection, selectedCount, type Selection } from '../lib/selection';
import { FolderBreadcrumbs } from './folder-breadcrumbs';
import { FolderFilter } from './folder-filter';
import { FolderNotices, type FolderNotice } from './folder-notices';
import { FolderState } from './folder-state';
import { FolderTable } from './folder-table';
import { FolderToolbar } from './folder-toolbar';
import { UploadReviewDialog } from './upload-review-dialog';

export interface FolderViewProps {
  spaceId: string;
  path: string;
  /**
   * Starts an upload of what was dropped or picked into this folder, its name conflicts decided
   * (`replace`: the top-level names to replace); rejects with an ApiError.
   */
  onUpload: (request: { spaceId: string; folder: string; replace: string[] } & UploadRequest) => Promise<void>;
  /** Starts a download of these space paths, or of every entry of `allOf` but `except`; rejects with an ApiError. */
  onDownload: (request: { spaceId: string; paths: string[]; allOf?: string; except?: string[] }) => Promise<void>;
  /**
   * When set, "Upload files" and "Upload folder" open the transfer client's own dialogs (real
   * local paths) instead of the browser's; resolves with the number of items started, null when
   * the dialog was closed; rejects with what went wrong. Returns null (synchronously, while the
   * click still allows a file dialog) when the browser's own dialog should open instead.
   */
  onNativePick?:
    | ((what: 'files' | 'folder', target: { spaceId: string; folder: string }, decide: DecideConflicts) => Promise<number | null> | null)
    | undefined;
  /** Shown under the toolbar: which client uploads go through, and the choice of it. */
  uploadClient?: ReactNode;
  /** The route's own actions in the toolbar, after the folder's ("Share", "Send"). */
  toolbarActions?: ReactNode;
  /**
   * The route's actions on the selected items ("Share"), for a role that may download them; not
   * offered for "all of the folder", whose entries the page has not all listed.
   */
  selectionActions?: (selected: { spaceId: string; paths: string[] }) => ReactNode;
}

export function FolderView({
  spaceId,
  path,
  onUpload,
  onDownload,
  onNativePick,
  uploadClient,
  toolbarActions,
  selectionActions,
}: FolderViewProps) {
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
  const [filter, setFilter] = useState('');
  const [notice, setNotice] = useState<FolderNotice | null>(null);
  /** A folder just created or renamed, for the table to bring into view. */
  const [reveal, setReveal] = useState<string | null>(null);
  const allSelected = selection.all === true;
  // Under "all", the paths are the rows left out; otherwise the rows selected.
  const selected = allSelected ? [] : [...selection.paths];
  const leftOut = allSelected ? [...selection.paths] : [];
  const folderName = path === '/' ? (space.data?.name ?? 'Files') : baseName(path);
  const folderCount = useFolderCount(spaceId, path);
  const shownCount = useFolderCount(spaceId, path, filter);
  const selectionCount = selectedCount(selection, shownCount ?? 0);

  const clearReveal = useCallback(() => setReveal(null), []);
  const changeFilter = useCallback((next: string) => {
    setFilter(next);
    // Rows selected under another filter are not on screen any more.
    setSelection(emptySelection);
  }, []);

  const conflicts = useUploadConflicts({ spaceId, folder: path, destination: folderName, canReplace: can.delete });
  const startUpload = (upload: UploadRequest) => {
    setNotice(null);
    // Once started, the upload shows in the transfer tray on every page; only a refusal or a
    // wholly skipped upload is said here.
    conflicts
      .resolve(upload)
      .then(async (decided) => {
        if (!decided) {
          setNotice({ kind: 'info', title: 'Nothing was uploaded', subtitle: 'Every item was skipped, or the upload was cancelled.' });
          return;
        }
        await onUpload({ spaceId, folder: path, ...decided });
      })
      .catch((error: unknown) => {
        // The session ended: the app is on its way to the login page (which cancels the check in
        // flight); the files wait for the same user's return.
        if (isSessionLostError(error) || isCancelledError(error)) useHeldUploads.getState().hold({ spaceId, folder: path, upload });
        else setNotice({ kind: 'error', title: 'The upload did not start', subtitle: describeFileError(error) });
      });
  };
  const held = useHeldUploads((s) => (s.held?.spaceId === spaceId && s.held.folder === path ? s.held : null));
  const heldUpload = held
    ? {
        fileCount: held.upload.sources.length + held.upload.emptyFolders.length,
        upload: () => {
          const taken = useHeldUploads.getState().take();
          if (taken) startUpload(taken.upload);
        },
        discard: () => void useHeldUploads.getState().take(),
      }
    : null;
  const intake = useUploadIntake(
    can.upload,
    startUpload,
    role === null
      ? null
      : {
          title: 'You cannot upload to this folder',
          detail: `Your role in this space is ${role}: you may browse and download, not upload. Ask a manager of the space for contributor access.`,
        },
  );

  /** True when the transfer client's own dialog opened; false leaves it to the browser's. */
  const pick = (what: 'files' | 'folder') => {
    // Desktop's picks are asked about too: conflicts are decided whichever client carries the upload.
    const native = onNativePick?.(what, { spaceId, folder: path }, conflicts.decide);
    if (!native) return false;
    setNotice(null);
    native.catch((error: unknown) => setNotice({ kind: 'error', title: 'The upload did not start', subtitle: describeFileError(error) }));
    return true;
  };

  const download = (request: { paths: string[]; allOf?: string; except?: string[] }) => {
    setNotice(null);
    onDownload({ spaceId, ...request }).catch((error: unknown) =>
      setNotice({ kind: 'error', title: 'The download did not start', subtitle: describeFileError(error) }),
    );
  };
  // "All" is resolved by the portal, whatever has been loaded here.
  const startDownload = () => download(allSelected ? { paths: [], allOf: path, except: leftOut } : { paths: selected });

  const dialogs = useFolderDialogs({
    spaceId,
    path,
    selected,
    all: allSelected ? { folderName, count: selectionCount, except: leftOut } : undefined,
    onCreated: setReveal,
    onRenamed: (renamed) => {
      setSelection(emptySelection);
      setReveal(renamed);
    },
    onDeleted: (results) => {
      const gone = new Set(results.filter((r) => r.ok).map((r) => r.path));
      setSelection(allSelected ? emptySelection : { paths: new Set(selected.filter((p) => !gone.has(p))), anchor: null });
      if (results.every((r) => r.ok)) {
        setNotice({
          kind: 'success',
          title: 'Deleted',
          subtitle: `${results.length.toLocaleString()} ${results.length === 1 ? 'item' : 'items'} deleted.`,
        });
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
      {/* Space-wide actions (Members) sit on this line, not in the toolbar: a selection adds buttons
          there, and a toolbar that wraps would move the rows under the pointer between two clicks. */}
      <div className="courier-files__summary-line">
        <p className="courier-files__summary">
          {folderCount === null ? '\u00a0' : `${folderCount.toLocaleString()} ${folderCount === 1 ? 'item' : 'items'}`}
          {filter && shownCount !== null ? ` · ${shownCount.toLocaleString()} matching “${filter}”` : ''}
        </p>
        {toolbarActions}
      </div>

      <FolderToolbar
        role={role}
        selectedCount={selectionCount}
        totalCount={shownCount}
        allSelected={allSelected}
        onPick={pick}
        onPicked={intake.pick}
        onNewFolder={() => dialogs.open('new-folder')}
        onDownload={startDownload}
        onRename={() => dialogs.open('rename')}
        onDelete={() => dialogs.open('delete')}
        actions={
          selectionActions && !allSelected && selected.length > 0 && roleAllows(role, 'download')
            ? selectionActions({ spaceId, paths: selected })
            : null
        }
      />

      {can.upload ? uploadClient : null}
      <FolderNotices
        intake={intake.state}
        onDismissIntake={intake.dismiss}
        notice={notice}
        onDismissNotice={() => setNotice(null)}
        held={heldUpload}
      />

      <FolderFilter onChange={changeFilter} />

      <FolderTable
        spaceId={spaceId}
        path={path}
        label={`Contents of ${folderName}`}
        filter={filter}
        sort={sort}
        onSortChange={(column) => setSort((s) => nextSort(s, column))}
        selection={selection}
        onSelectionChange={setSelection}
        reveal={reveal}
        onRevealed={clearReveal}
        onOpen={(entry) => {
          // A folder opens; a file downloads, as a double click or Enter does in a file manager.
          if (entry.type === 'folder') void navigate(folderUrl(spaceId, entry.path));
          else download({ paths: [entry.path] });
        }}
        onDeleteKey={can.delete && selectionCount > 0 ? () => dialogs.open('delete') : undefined}
        onRenameKey={can.rename && selected.length === 1 && !allSelected ? () => dialogs.open('rename') : undefined}
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
          <p>{can.upload ? `Drop to upload to ${folderName}` : `You cannot upload to ${folderName}`}</p>
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
      {conflicts.dialog}
      {dialogs.dialogs}
    </section>
  );
}
