import { Button, Checkbox, InlineNotification, Modal, PasswordInput, Stack, TextArea, TextInput } from '@carbon/react';
import { DocumentImport } from '@carbon/icons-react';
import { useState } from 'react';
import type { FileRequest } from '../../../../contract/requests';
import { roleAllows } from '../../../../contract/roles';
import { errorMessage } from '../../../lib/error-message';
import { useCreateRequest, useSpaceOfRequest } from '../api/requests';
import { CopyUrl } from './copy-url';

/** `YYYY-MM-DDTHH:mm` in local time, as a datetime-local input takes it. */
function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * "Request files" on a folder (for a role that may upload: the guest gets no more than the
 * requester has): a dialog for the request, then its link to copy.
 */
export function RequestFilesButton({ spaceId, folder }: { spaceId: string; folder: string }) {
  const space = useSpaceOfRequest(spaceId);
  const [open, setOpen] = useState(false);
  if (!space.data || !roleAllows(space.data.role, 'upload')) return null;
  return (
    <>
      <Button kind="ghost" size="sm" renderIcon={DocumentImport} onClick={() => setOpen(true)}>
        Request files
      </Button>
      {open ? <RequestFilesDialog spaceId={spaceId} folder={folder} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

export function RequestFilesDialog({ spaceId, folder, onClose }: { spaceId: string; folder: string; onClose: () => void }) {
  const create = useCreateRequest();
  const [title, setTitle] = useState('');
  const [message, setMessage] = useState('');
  const [deadline, setDeadline] = useState(() => localInputValue(new Date(Date.now() + 7 * 86_400_000)));
  const [password, setPassword] = useState('');
  const [maxMegabytes, setMaxMegabytes] = useState('');
  const [maxFiles, setMaxFiles] = useState('');
  const [requireIdentity, setRequireIdentity] = useState(false);
  const [created, setCreated] = useState<FileRequest | null>(null);

  const submit = () => {
    const megabytes = maxMegabytes.trim() === '' ? null : Number(maxMegabytes);
    const files = maxFiles.trim() === '' ? null : Number(maxFiles);
    create.mutate(
      {
        spaceId,
        folder,
        title: title.trim(),
        message: message.trim(),
        deadline: new Date(deadline).toISOString(),
        password: password === '' ? null : password,
        maxBytes: megabytes === null ? null : Math.round(megabytes * 1_000_000),
        maxFiles: files,
        requireIdentity,
      },
      { onSuccess: setCreated },
    );
  };

  if (created) {
    return (
      <Modal open passiveModal modalHeading="Your file request link" onRequestClose={onClose} size="sm">
        <Stack gap={5}>
          <p>
            Send this link to the people who should send you files. Each submission lands in its own folder in{' '}
            {folder === '/' ? 'this space' : folder}.{created.hasPassword ? ' Give them the password separately.' : ''}
          </p>
          <CopyUrl url={created.url} />
        </Stack>
      </Modal>
    );
  }

  const numberOk = (v: string, integer: boolean) => v.trim() === '' || (Number(v) > 0 && (!integer || Number.isInteger(Number(v))));
  const valid =
    title.trim() !== '' &&
    deadline !== '' &&
    (password === '' || password.length >= 8) &&
    numberOk(maxMegabytes, false) &&
    numberOk(maxFiles, true);
  return (
    <Modal
      open
      modalHeading="Request files"
      primaryButtonText={create.isPending ? 'Creating…' : 'Create link'}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={!valid || create.isPending}
      onRequestSubmit={submit}
      onRequestClose={onClose}
      size="md"
    >
      <Stack gap={5}>
        <p>
          People with the link can send files into {folder === '/' ? 'this space' : folder}, each submission in its own folder. They never
          see what is there.
        </p>
        <TextInput
          id="request-title"
          labelText="Title"
          value={title}
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
          data-modal-primary-focus
        />
        <TextArea
          id="request-message"
          labelText="Message (optional)"
          value={message}
          maxLength={4000}
          rows={3}
          onChange={(e) => setMessage(e.target.value)}
        />
        <TextInput
          id="request-deadline"
          type="datetime-local"
          labelText="Deadline"
          value={deadline}
          onChange={(e) => setDeadline(e.target.value)}
        />
        <PasswordInput
          id="request-password"
          labelText="Password (optional)"
          helperText="At least 8 characters. Share it separately from the link."
          value={password}
          autoComplete="new-password"
          invalid={password !== '' && password.length < 8}
          invalidText="At least 8 characters"
          onChange={(e) => setPassword(e.target.value)}
        />
        <TextInput
          id="request-max-mb"
          type="number"
          min={1}
          labelText="Total size limit in MB (optional)"
          value={maxMegabytes}
          invalid={!numberOk(maxMegabytes, false)}
          invalidText="A positive number"
          onChange={(e) => setMaxMegabytes(e.target.value)}
        />
        <TextInput
          id="request-max-files"
          type="number"
          min={1}
          step={1}
          labelText="File count limit (optional)"
          value={maxFiles}
          invalid={!numberOk(maxFiles, true)}
          invalidText="A whole number above 0"
          onChange={(e) => setMaxFiles(e.target.value)}
        />
        <Checkbox
          id="request-identity"
          labelText="Ask for the sender's name and email"
          checked={requireIdentity}
          onChange={(_, { checked }) => setRequireIdentity(checked)}
        />
        {create.isError ? (
          <InlineNotification
            kind="error"
            role="alert"
            lowContrast
            hideCloseButton
            title="The request was not created"
            subtitle={errorMessage(create.error)}
          />
        ) : null}
      </Stack>
    </Modal>
  );
}
