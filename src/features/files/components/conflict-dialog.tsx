import { Button, Checkbox, ComposedModal, ModalBody, ModalFooter, ModalHeader } from '@carbon/react';
import { useState } from 'react';
import type { NameConflict } from '../../../../contract/files';
import type { ConflictChoice } from '../lib/conflict-decisions';

export interface ConflictDialogProps {
  conflict: NameConflict;
  /** Conflicts still to decide after this one. */
  remaining: number;
  destination: string;
  /** Whether the role may replace what is there (a manager's). */
  canReplace: boolean;
  onChoose: (choice: ConflictChoice, applyToAll: boolean) => void;
  /** Closed without a choice: nothing is uploaded. */
  onCancel: () => void;
}

/** One name that exists already: replace it (when the role may), keep both, or skip, for it or all. */
export function ConflictDialog({ conflict, remaining, destination, canReplace, onChoose, onCancel }: ConflictDialogProps) {
  const [applyToAll, setApplyToAll] = useState(false);
  const folder = conflict.type === 'folder';
  const what = folder ? 'A folder' : 'A file';
  return (
    <ComposedModal open size="sm" onClose={onCancel} aria-label={`${conflict.name} already exists`}>
      <ModalHeader title={`“${conflict.name}” already exists`} label={`Uploading to ${destination}`} />
      <ModalBody>
        <p>
          {what} named <strong>{conflict.name}</strong> is already in {destination}.
          {folder && canReplace ? ' Replacing adds your files into it, replacing files that have the same names.' : ''}
        </p>
        <p>
          Keep both uploads yours as <strong>{conflict.freeName}</strong>.
        </p>
        {canReplace ? null : <p>Only a manager of this space may replace what is there, so Replace is not offered.</p>}
        {remaining > 0 ? (
          <Checkbox
            id="courier-conflict-apply-all"
            labelText={`Do this for the ${remaining} other ${remaining === 1 ? 'conflict' : 'conflicts'} too`}
            checked={applyToAll}
            onChange={(_, { checked }) => setApplyToAll(checked)}
          />
        ) : null}
      </ModalBody>
      <ModalFooter>
        <Button kind="secondary" onClick={() => onChoose('skip', applyToAll)}>
          Skip
        </Button>
        <Button kind={canReplace ? 'secondary' : 'primary'} onClick={() => onChoose('keep-both', applyToAll)}>
          Keep both
        </Button>
        {canReplace ? (
          <Button kind="danger" onClick={() => onChoose('replace', applyToAll)}>
            Replace
          </Button>
        ) : null}
      </ModalFooter>
    </ComposedModal>
  );
}
