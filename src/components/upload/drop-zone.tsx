import { Button } from '@carbon/react';
import { Add, Upload } from '@carbon/icons-react';
import { useRef, useState, type ReactNode } from 'react';
import { MAX_UPLOAD_FILES } from '../../lib/upload/check-upload';
import { collectDrop, collectFileList } from '../../lib/upload/collect-upload';
import type { CollectedUpload } from '../../lib/upload/collected-upload';

/** Reads what was dropped or picked; called by the zone, read by the page (and its checks). */
export type ReadUpload = () => Promise<CollectedUpload> | CollectedUpload;

export interface DropZoneProps {
  /** Names the zone's parts: `<name>-drop-zone`, `<name>-drop-hint`, `<name>-files-input`, `<name>-folder-input`. */
  name: string;
  /** A drop or a pick, to be read (at most MAX_UPLOAD_FILES files). */
  onUpload: (read: ReadUpload) => void;
  /** While sending: the buttons are off and a drop is ignored. */
  disabled?: boolean;
  hidden?: boolean;
  /** Shown under the buttons (what was chosen). */
  children?: ReactNode;
}

/**
 * Where files and folders are dropped, with its keyboard twin: "Choose files" and "Choose folder",
 * both described by the zone's hint, which also names the zone. Folders keep their structure.
 */
export function DropZone({ name, onUpload, disabled = false, hidden, children }: DropZoneProps) {
  const [dragging, setDragging] = useState(false);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const hint = `${name}-drop-hint`;
  const pick = (input: HTMLInputElement) => {
    const list = input.files;
    onUpload(() => collectFileList(list ?? [], MAX_UPLOAD_FILES));
    input.value = '';
  };
  return (
    <div
      hidden={hidden}
      role="group"
      aria-labelledby={hint}
      className={`courier-drop-zone${dragging ? ' courier-drop-zone--dragging' : ''}`}
      data-testid={`${name}-drop-zone`}
      onDragEnter={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        if (!disabled) onUpload(collectDrop(e.dataTransfer, MAX_UPLOAD_FILES));
      }}
    >
      <p id={hint}>Drop files or folders here, or choose them. Folders keep their structure.</p>
      <div className="courier-drop-zone__pick">
        <Button
          kind="tertiary"
          size="md"
          renderIcon={Upload}
          disabled={disabled}
          onClick={() => filesInput.current?.click()}
          aria-describedby={hint}
        >
          Choose files
        </Button>
        <Button
          kind="tertiary"
          size="md"
          renderIcon={Add}
          disabled={disabled}
          onClick={() => folderInput.current?.click()}
          aria-describedby={hint}
        >
          Choose folder
        </Button>
      </div>
      <input ref={filesInput} type="file" multiple hidden data-testid={`${name}-files-input`} onChange={(e) => pick(e.target)} />
      <input
        ref={folderInput}
        type="file"
        hidden
        data-testid={`${name}-folder-input`}
        {...{ webkitdirectory: '' }}
        onChange={(e) => pick(e.target)}
      />
      {children}
    </div>
  );
}
