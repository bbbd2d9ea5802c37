import { Button, InlineNotification } from '@carbon/react';
import { Add, Download, Edit, FolderAdd, TrashCan, Upload } from '@carbon/icons-react';
import { useCallback, useRef, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { roleAllows } from '../../../../contract/roles';
import { baseName, joinSpacePath } from '../../../../contract/space-path';
import { useCreateFolder, useDeleteEntries, useRenameEntry } from '../api/file-operations';
import { useSpace } from '../api/get-spaces';
import { useUploadIntake, type UploadRequest } from '../hooks/use-upload-intake';
import { describeFileError } from '../lib/describe-file-error';
import { nextSort, type SortState } from '../lib/folder-sort';
import { folderUrl } from '../../../lib/folder-url';
import { emptySelection, type Selection } from '../lib/selection';
import { DeleteDialog } from './delete-dialog';
import { FolderBreadcrumbs } from './folder-breadcrumbs';
import { FolderState } from './folder-state';
import { FolderTable } from './folder-table';
import { NameDialog } from './name-dialog';
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
}

type Dialog = 'new-folder' | 'rename' | 'delete' | null;
type Notice = { kind: 'error' | 'success' | 'info'; title: string; subtitle: string } | null;

export function FolderView({ spaceId, path, onUpload, onDownload, onNativePick, uploadClient }: FolderViewProps) {
  const navigate = useNavigate();
  const space = useSpace(spaceId);
  const role = space.data?.role ?? null;
  const can = {
    upload: roleAllows(role, 'upload'),
    mkdir: roleAllows(role, 'mkdir'),
    rename: roleAllows(role, 'rename'),
    delete: roleAllows(role, 'delete'),
    download: roleAllows(role, 'download'),
  };
  const [sort, setSort] = useState<SortState>({ column: 'name', direction: 'ascending' });
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<Notice>(null);
  /** A folder just created or renamed, for the table to bring into view. */
  const [reveal, setReveal] = useState<string | null>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  const createFolder = useCreateFolder(spaceId, path);
  const rename = useRenameEntry(spaceId, path);
  const remove = useDeleteEntries(spaceId, path);
  const selected = [...selection.paths];
  const renaming = selected.length === 1 ? selected[0] : undefined;
  const folderName = path === '/' ? (space.data?.name ?? 'Files') : baseName(path);

  const clearReveal = useCallback(() => setReveal(null), []);

  const startUpload = (upload: UploadRequest) => {
    setNotice(null);
    onUpload({ spaceId, folder: path, ...upload }).then(
      () =>
        setNotice({
          kind: 'info',
          title: 'Upload started',
          subtitle: `${upload.sources.length} ${upload.sources.length === 1 ? 'file' : 'files'} to ${folderName}. Follow it in Transfers.`,
        }),
      (error: unknown) =>
        setNotice({ kind: 'error', title: 'The upload did not start', subtitle: describeFileError(error) }),
    );
  };
  const intake = useUploadIntake(can.upload, startUpload);

  const pick = (what: 'files' | 'folder') => {
    const native = onNativePick?.(what, { spaceId, folder: path });
    if (!native) {
      (what === 'files' ? filesInput : folderInput).current?.click();
      return;
    }
    setNotice(null);
    native.then(
      (count) => {
        if (count === null) return;
        setNotice({
          kind: 'info',
          title: 'Upload started',
          subtitle: `${count} ${count === 1 ? 'item' : 'items'} to ${folderName}. Follow it in Transfers.`,
        });
      },
      (error: unknown) =>
        setNotice({ kind: 'error', title: 'The upload did not start', subtitle: describeFileError(error) }),
    );
  };

  const startDownload = () => {
    setNotice(null);
    onDownload({ spaceId, paths: selected }).catch((error: unknown) =>
      setNotice({ kind: 'error', title: 'The download did not start', subtitle: describeFileError(error) }),
    );
  };

  const openDialog = (which: Dialog) => {
    createFolder.reset();
    rename.reset();
    remove.reset();
    setDialog(which);
  };

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

      <div className="courier-files__toolbar" role="toolbar" aria-label="Folder actions">
        {can.upload ? (
          <>
            <Button size="md" renderIcon={Upload} onClick={() => pick('files')}>
              Upload files
            </Button>
            <Button size="md" kind="tertiary" renderIcon={Add} onClick={() => pick('folder')}>
              Upload folder
            </Button>
            <input
              ref={filesInput}
              type="file"
              multiple
              hidden
              data-testid="upload-files-input"
              onChange={(e) => {
                intake.pick(e.target.files);
                e.target.value = '';
              }}
            />
            <input
              ref={folderInput}
              type="file"
              hidden
              data-testid="upload-folder-input"
              {...{ webkitdirectory: '' }}
              onChange={(e) => {
                intake.pick(e.target.files);
                e.target.value = '';
              }}
            />
          </>
        ) : null}
        {can.mkdir ? (
          <Button size="md" kind="ghost" renderIcon={FolderAdd} onClick={() => openDialog('new-folder')}>
            New folder
          </Button>
        ) : null}
        {selected.length > 0 ? (
          <div className="courier-files__selection" aria-label="Selected items">
            <span className="courier-files__count" aria-live="polite">
              {selected.length} selected
            </span>
            {can.download ? (
              <Button size="md" kind="ghost" renderIcon={Download} onClick={startDownload}>
                Download
              </Button>
            ) : null}
            {can.rename && selected.length === 1 ? (
              <Button size="md" kind="ghost" renderIcon={Edit} onClick={() => openDialog('rename')}>
                Rename
              </Button>
            ) : null}
            {can.delete ? (
              <Button size="md" kind="danger--ghost" renderIcon={TrashCan} onClick={() => openDialog('delete')}>
                Delete
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>

      {can.upload ? uploadClient : null}
      {intake.state.step === 'reading' ? (
        <InlineNotification kind="info" lowContrast hideCloseButton title="Reading what you dropped…" />
      ) : null}
      {intake.state.step === 'refused' ? (
        <InlineNotification
          kind="error"
          lowContrast
          role="alert"
          title={intake.state.title}
          subtitle={intake.state.detail}
          onClose={() => {
            intake.dismiss();
            return false;
          }}
        />
      ) : null}
      {notice ? (
        <InlineNotification
          kind={notice.kind}
          lowContrast
          title={notice.title}
          subtitle={notice.subtitle}
          onClose={() => {
            setNotice(null);
            return false;
          }}
        />
      ) : null}

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
        onDeleteKey={can.delete && selected.length > 0 ? () => openDialog('delete') : undefined}
        onRenameKey={can.rename && selected.length === 1 ? () => openDialog('rename') : undefined}
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
      {dialog === 'new-folder' ? (
        <NameDialog
          title="New folder"
          submitLabel="Create"
          pending={createFolder.isPending}
          error={createFolder.error}
          onClose={() => setDialog(null)}
          onSubmit={(name) =>
            createFolder.mutate(joinSpacePath(path, name), {
              onSuccess: () => {
                setDialog(null);
                setReveal(joinSpacePath(path, name));
              },
            })
          }
        />
      ) : null}
      {dialog === 'rename' && renaming !== undefined ? (
        <NameDialog
          title={`Rename ${baseName(renaming)}`}
          submitLabel="Rename"
          initialName={baseName(renaming)}
          pending={rename.isPending}
          error={rename.error}
          onClose={() => setDialog(null)}
          onSubmit={(newName) =>
            rename.mutate(
              { path: renaming, newName },
              {
                onSuccess: () => {
                  setDialog(null);
                  setSelection(emptySelection);
                  setReveal(joinSpacePath(path, newName));
                },
              },
            )
          }
        />
      ) : null}
      {dialog === 'delete' ? (
        <DeleteDialog
          paths={selected}
          pending={remove.isPending}
          error={remove.error}
          results={remove.data?.some((r) => !r.ok) ? remove.data : undefined}
          onClose={() => setDialog(null)}
          onConfirm={() =>
            remove.mutate(selected, {
              onSuccess: (results) => {
                const gone = results.filter((r) => r.ok).map((r) => r.path);
                setSelection({ paths: new Set(selected.filter((p) => !gone.includes(p))), anchor: null });
                if (results.every((r) => r.ok)) {
                  setDialog(null);
                  setNotice({ kind: 'success', title: 'Deleted', subtitle: `${results.length} ${results.length === 1 ? 'item' : 'items'} deleted.` });
                }
              },
            })
          }
        />
      ) : null}
    </section>
  );
}
