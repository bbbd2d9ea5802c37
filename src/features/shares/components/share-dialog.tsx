import { InlineNotification, Modal, NumberInput, PasswordInput, Select, SelectItem, Stack, TextArea, TextInput } from '@carbon/react';
import { useState } from 'react';
import { MAX_SHARE_RECIPIENTS, MIN_SHARE_PASSWORD_CHARS } from '../../../../contract/share-limits';
import type { ShareNotify } from '../../../../contract/shares';
import { baseName } from '../../../../contract/space-path';
import { useReturnFocus } from '../../../hooks/use-return-focus';
import { useCreateShare } from '../api/change-share';
import { EXPIRY_CHOICES, expiresAtOf, type ExpiryChoice } from '../lib/expiry-choice';
import { LinkResult } from './link-result';

export interface ShareDialogProps {
  spaceId: string;
  paths: string[];
  onClose: () => void;
}

/** "Share" on a selection: the link's terms, then the link to copy and its QR code. */
export function ShareDialog({ spaceId, paths, onClose }: ShareDialogProps) {
  useReturnFocus();
  const create = useCreateShare();
  const [expiry, setExpiry] = useState<ExpiryChoice>('default');
  const [password, setPassword] = useState('');
  const [limit, setLimit] = useState<number | ''>('');
  const [note, setNote] = useState('');
  const [notify, setNotify] = useState<ShareNotify>('first');
  const [recipientsText, setRecipientsText] = useState('');
  const passwordProblem = password !== '' && password.length < MIN_SHARE_PASSWORD_CHARS;
  const recipients = recipientsText.split(/[\s,;]+/).filter((r) => r !== '');
  const recipientsProblem = recipientProblem(recipients);
  const what = paths.length === 1 ? baseName(paths[0] ?? '') : `${paths.length} items`;

  const submit = () => {
    if (passwordProblem || recipientsProblem || create.isPending) return;
    const expiresAt = expiresAtOf(expiry);
    create.mutate({
      spaceId,
      paths,
      ...(expiresAt === undefined ? {} : { expiresAt }),
      ...(password ? { password } : {}),
      ...(limit === '' ? {} : { maxDownloads: limit }),
      note,
      notify,
      recipients,
    });
  };

  if (create.data)
    return (
      <Modal open passiveModal modalHeading={`Link to ${what}`} onRequestClose={onClose} size="sm">
        <LinkResult url={create.data.url} />
        {recipients.length > 0 ? (
          <p role="status" className="courier-share-sent">
            The link is on its way by email to {recipients.join(', ')}, without the password.
          </p>
        ) : null}
      </Modal>
    );

  return (
    <Modal
      open
      modalHeading={`Share ${what}`}
      primaryButtonText={create.isPending ? 'Creating…' : 'Create link'}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={create.isPending}
      onRequestSubmit={submit}
      onRequestClose={onClose}
      size="sm"
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap={5}>
          <Select id="courier-share-expiry" labelText="Expires" value={expiry} onChange={(e) => setExpiry(e.target.value as ExpiryChoice)}>
            {EXPIRY_CHOICES.map((c) => (
              <SelectItem key={c.value} value={c.value} text={c.label} />
            ))}
          </Select>
          <PasswordInput
            id="courier-share-password"
            labelText="Password (optional)"
            helperText="The recipient must type it; it is never part of the link."
            value={password}
            autoComplete="new-password"
            invalid={passwordProblem}
            invalidText={`At least ${MIN_SHARE_PASSWORD_CHARS} characters.`}
            onChange={(e) => setPassword(e.target.value)}
          />
          <NumberInput
            id="courier-share-limit"
            label="Download limit (optional)"
            helperText="Completed downloads allowed; opening the link never counts."
            min={1}
            allowEmpty
            value={limit}
            onChange={(_e, { value }) => setLimit(value === '' || value === undefined ? '' : Number(value))}
          />
          <TextArea
            id="courier-share-note"
            labelText="Note to the recipient (optional)"
            maxCount={2000}
            enableCounter
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <TextInput
            id="courier-share-recipients"
            labelText="Send the link by email to (optional)"
            helperText="Addresses separated by commas. They get the link, its expiry and your note, never the password."
            value={recipientsText}
            type="text"
            inputMode="email"
            autoComplete="off"
            invalid={recipientsProblem !== null}
            invalidText={recipientsProblem ?? ''}
            onChange={(e) => setRecipientsText(e.target.value)}
          />
          <Select
            id="courier-share-notify"
            labelText="Tell me when it is downloaded"
            value={notify}
            onChange={(e) => setNotify(e.target.value as ShareNotify)}
          >
            <SelectItem value="first" text="The first time" />
            <SelectItem value="every" text="Every time" />
            <SelectItem value="never" text="Never" />
          </Select>
          {create.error ? (
            <InlineNotification
              kind="error"
              role="alert"
              lowContrast
              hideCloseButton
              title="No link was made"
              subtitle={create.error.message}
            />
          ) : null}
        </Stack>
      </form>
    </Modal>
  );
}

/** What is wrong with the addresses typed, in words, or null. The portal checks them again. */
function recipientProblem(recipients: string[]): string | null {
  if (recipients.length > MAX_SHARE_RECIPIENTS) return `At most ${MAX_SHARE_RECIPIENTS} addresses at once.`;
  const bad = recipients.find((r) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(r));
  return bad === undefined ? null : `"${bad}" is not an email address like name@example.com.`;
}
