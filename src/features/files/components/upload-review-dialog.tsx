import { Modal } from '@carbon/react';
import type { UploadRequest } from '../hooks/use-upload-intake';
import { describeUpload } from '../../../lib/upload/check-upload';
import { useReturnFocus } from '../../../hooks/use-return-focus';

export interface UploadReviewDialogProps {
  upload: UploadRequest;
  fileCount: number;
  bytes: number;
  destination: string;
  onConfirm: () => void;
  onClose: () => void;
}

const SHOWN = 8;

/** A large drop is shown before it starts: what, how much, and where to. */
export function UploadReviewDialog(props: UploadReviewDialogProps) {
  useReturnFocus();
  const tops = new Map<string, number>();
  for (const { path } of props.upload.sources) {
    const top = path.split('/')[0] ?? path;
    tops.set(top, (tops.get(top) ?? 0) + 1);
  }
  const items = [...tops.entries()];
  return (
    <Modal
      open
      modalHeading="Upload these files?"
      primaryButtonText="Start upload"
      secondaryButtonText="Cancel"
      onRequestSubmit={props.onConfirm}
      onRequestClose={props.onClose}
      size="sm"
    >
      <p>
        {describeUpload(props.fileCount, props.bytes)} to <strong>{props.destination}</strong>
        {props.upload.emptyFolders.length > 0
          ? `, and ${props.upload.emptyFolders.length} empty ${props.upload.emptyFolders.length === 1 ? 'folder' : 'folders'}`
          : ''}
        .
      </p>
      <ul className="courier-files-dialog__list">
        {items.slice(0, SHOWN).map(([name, n]) => (
          <li key={name}>
            {name}
            {n > 1 ? ` (${n.toLocaleString('en')} files)` : ''}
          </li>
        ))}
        {items.length > SHOWN ? <li>and {items.length - SHOWN} more</li> : null}
      </ul>
    </Modal>
  );
}
