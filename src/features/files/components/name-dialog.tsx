import { InlineNotification, Modal, TextInput } from '@carbon/react';
import { useState, type FormEvent } from 'react';
import { describeFileError } from '../lib/describe-file-error';
import { useReturnFocus } from '../../../hooks/use-return-focus';
import { describeNameProblem } from '../lib/name-rules';

export interface NameDialogProps {
  title: string;
  submitLabel: string;
  initialName?: string;
  pending: boolean;
  error: unknown;
  onSubmit: (name: string) => void;
  onClose: () => void;
}

/**
 * New folder and rename: one name, checked here under the node's rules (a "/" or a name too long
 * is refused with its reason before anything is sent), then by the server, its refusal shown by code.
 */
export function NameDialog(props: NameDialogProps) {
  useReturnFocus();
  const [name, setName] = useState(props.initialName ?? '');
  const [touched, setTouched] = useState(false);
  const problem = describeNameProblem(name);
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    setTouched(true);
    if (!problem && !props.pending) props.onSubmit(name.trim());
  };
  return (
    <Modal
      open
      modalHeading={props.title}
      primaryButtonText={props.pending ? 'Saving…' : props.submitLabel}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={props.pending}
      onRequestSubmit={() => submit()}
      onRequestClose={props.onClose}
      size="sm"
    >
      <form onSubmit={submit} noValidate>
        <TextInput
          id="courier-name-dialog-input"
          labelText="Name"
          value={name}
          data-modal-primary-focus
          invalid={touched && problem !== null}
          invalidText={problem ?? undefined}
          onChange={(e) => {
            setName(e.target.value);
            setTouched(false);
          }}
          onFocus={(e) => {
            // Renaming "report.pdf" usually means changing "report", not the extension.
            const dot = e.target.value.lastIndexOf('.');
            if (props.initialName && dot > 0) e.target.setSelectionRange(0, dot);
          }}
        />
      </form>
      {props.error ? (
        <InlineNotification kind="error" lowContrast hideCloseButton title="Not saved" subtitle={describeFileError(props.error)} />
      ) : null}
    </Modal>
  );
}
