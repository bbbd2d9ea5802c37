import { Button } from '@carbon/react';
import { Add, Download, Edit, FolderAdd, TrashCan, Upload } from '@carbon/icons-react';
import { useRef, type ReactNode } from 'react';
import { roleAllows, type Role } from '../../../../contract/roles';

export interface FolderToolbarProps {
  /** The user's role in the space; null while it loads, which shows no actions. */
  role: Role | null;
  selectedCount: number;
  /** Entries in the folder (matching the filter), when known: "3 of 2,000 selected". */
  totalCount?: number | null;
  /** The whole folder is selected: Rename does not apply. */
  allSelected?: boolean;
  /**
   * "Upload files" or "Upload folder": true when the caller opened a dialog of its own (the
   * transfer client's), false to open the browser's, which must happen during the click.
   */
  onPick: (what: 'files' | 'folder') => boolean;
  /** What the browser's file dialog returned. */
  onPicked: (files: FileList | null) => void;
  onNewFolder: () => void;
  onDownload: () => void;
  onRename: () => void;
  onDelete: () => void;
  /** More actions on the folder or the selection, from the route ("Share", "Send"), after ours. */
  actions?: ReactNode;
}

/** The folder's actions, each shown only when the role allows it and the selection fits it. */
export function FolderToolbar(props: FolderToolbarProps) {
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const can = (operation: Parameters<typeof roleAllows>[1]) => roleAllows(props.role, operation);
  const pick = (what: 'files' | 'folder') => {
    if (!props.onPick(what)) (what === 'files' ? filesInput : folderInput).current?.click();
  };
  const picked = (input: HTMLInputElement) => {
    props.onPicked(input.files);
    input.value = '';
  };
  const count = props.selectedCount;

  return (
    <div className="courier-files__toolbar" role="toolbar" aria-label="Folder actions">
      {can('upload') ? (
        <>
          <Button size="md" renderIcon={Upload} onClick={() => pick('files')}>
            Upload files
          </Button>
          <Button size="md" kind="tertiary" renderIcon={Add} onClick={() => pick('folder')}>
            Upload folder
          </Button>
          <input ref={filesInput} type="file" multiple hidden data-testid="upload-files-input" onChange={(e) => picked(e.target)} />
          <input
            ref={folderInput}
            type="file"
            hidden
            data-testid="upload-folder-input"
            {...{ webkitdirectory: '' }}
            onChange={(e) => picked(e.target)}
          />
        </>
      ) : null}
      {can('mkdir') ? (
        <Button size="md" kind="ghost" renderIcon={FolderAdd} onClick={props.onNewFolder}>
          New folder
        </Button>
      ) : null}
      {count > 0 ? (
        <div className="courier-files__selection" aria-label="Selected items">
          <span className="courier-files__count" aria-live="polite">
            {props.totalCount != null
              ? `${count.toLocaleString()} of ${props.totalCount.toLocaleString()} selected`
              : `${count.toLocaleString()} selected`}
          </span>
          {can('download') ? (
            <Button size="md" kind="ghost" renderIcon={Download} onClick={props.onDownload}>
              Download
            </Button>
          ) : null}
          {can('rename') && count === 1 && !props.allSelected ? (
            <Button size="md" kind="ghost" renderIcon={Edit} onClick={props.onRename}>
              Rename
            </Button>
          ) : null}
          {can('delete') ? (
            <Button size="md" kind="danger--ghost" renderIcon={TrashCan} onClick={props.onDelete}>
              Delete
            </Button>
          ) : null}
        </div>
      ) : null}
      {props.actions}
    </div>
  );
}
