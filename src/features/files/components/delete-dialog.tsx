import { InlineNotification, Modal } from '@carbon/react';
import type { PathResult } from '../../../../contract/files';
import { baseName } from '../../../../contract/space-path';
import { describeFileError } from '../lib/describe-file-error';
import { useReturnFocus } from '../../../hooks/use-return-focus';

export interface DeleteDialogProps {
  paths: string[];
  /** "All of this folder" but `except`: its name and how many entries that is; `paths` is then empty. */
  all?: { folderName: string; count: number; except: string[] } | undefined;
  pending: boolean;
  error: unknown;
  /** Per-path outcome once the server answered; the dialog stays open when some failed. */
  results: PathResult[] | undefined;
  onConfirm: () => void;
  onClose: () => void;
}

const SHOWN = 8;

export function DeleteDialog(props: DeleteDialogProps) {
  useReturnFocus();
  const results = props.results ?? [];
  const failed = results.filter((r) => !r.ok);
  const done = props.results !== undefined;
  const names = props.paths.map(baseName);
  return (
    <Modal
      open
      danger={!done}
      modalHeading={
        done
          ? 'Some items were not deleted'
          : props.all
            ? `Delete ${props.all.except.length === 0 ? 'all ' : ''}${describeCount(props.all.count)} in ${props.all.folderName}?`
            : `Delete ${describeCount(props.paths.length)}?`
      }
      primaryButtonText={done ? 'Close' : props.pending ? 'Deleting…' : 'Delete'}
      secondaryButtonText={done ? undefined : 'Cancel'}
      passiveModal={false}
      primaryButtonDisabled={props.pending}
      onRequestSubmit={done ? props.onClose : props.onConfirm}
      onRequestClose={props.onClose}
      size="sm"
    >
      {done ? (
        <>
          <p>
            {results.length - failed.length} of {results.length} deleted. These were not:
          </p>
          <ul className="courier-files-dialog__list">
            {failed.map((r) => (
              <li key={r.path}>
                <strong>{baseName(r.path)}</strong>: {r.error?.message ?? 'not deleted'}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <>
          <p>Folders are deleted with everything in them. This cannot be undone.</p>
          {props.all ? (
            <p>
              Everything in this folder when you confirm is deleted, including entries not shown yet
              {props.all.except.length > 0 ? `, except the ${describeCount(props.all.except.length)} you unticked` : ''}.
            </p>
          ) : null}
          <ul className="courier-files-dialog__list">
            {names.slice(0, SHOWN).map((name, i) => (
              <li key={props.paths[i]}>{name}</li>
            ))}
            {names.length > SHOWN ? <li>and {names.length - SHOWN} more</li> : null}
          </ul>
        </>
      )}
      {props.error ? (
        <InlineNotification
          kind="error"
          lowContrast
          hideCloseButton
          title="Nothing was deleted"
          subtitle={describeFileError(props.error)}
        />
      ) : null}
    </Modal>
  );
}

function describeCount(n: number): string {
  return n === 1 ? '1 item' : `${n.toLocaleString()} items`;
}
