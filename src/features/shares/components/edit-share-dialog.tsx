import { Checkbox, InlineNotification, Modal, NumberInput, PasswordInput, Select, SelectItem, Stack, TextArea } from '@carbon/react';
import { useState } from 'react';
import { MIN_SHARE_PASSWORD_CHARS } from '../../../../contract/share-limits';
import type { Share, UpdateShareRequest } from '../../../../contract/shares';
import { useReturnFocus } from '../../../hooks/use-return-focus';
import { useUpdateShare } from '../api/change-share';
import { describeExpiry, EXPIRY_CHOICES, expiresAtOf, type ExpiryChoice } from '../lib/expiry-choice';

/** Extend, change the limit, set or clear the password, change the note. */
export function EditShareDialog({ share, onClose }: { share: Share; onClose: () => void }) {
  useReturnFocus();
  const update = useUpdateShare();
  const [expiry, setExpiry] = useState<ExpiryChoice | 'keep'>('keep');
  const [limit, setLimit] = useState<number | ''>(share.maxDownloads ?? '');
  const [password, setPassword] = useState('');
  const [clearPassword, setClearPassword] = useState(false);
  const [note, setNote] = useState(share.note);
  const passwordProblem = password !== '' && password.length < MIN_SHARE_PASSWORD_CHARS;

  const submit = () => {
    if (passwordProblem || update.isPending) return;
    const patch: UpdateShareRequest & { id: string } = { id: share.id, note, maxDownloads: limit === '' ? null : limit };
    if (expiry !== 'keep') {
      const at = expiresAtOf(expiry);
      if (at !== undefined) patch.expiresAt = at;
    }
    if (clearPassword) patch.password = null;
    else if (password) patch.password = password;
    update.mutate(patch, { onSuccess: onClose });
  };

  return (
    <Modal
      open
      modalHeading="Edit link"
      primaryButtonText={update.isPending ? 'Saving…' : 'Save'}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={update.isPending}
      onRequestSubmit={submit}
      onRequestClose={onClose}
      size="sm"
    >
      <Stack gap={5}>
        <Select
          id="courier-edit-share-expiry"
          labelText="Expires"
          value={expiry}
          onChange={(e) => setExpiry(e.target.value as ExpiryChoice | 'keep')}
        >
          <SelectItem value="keep" text={`Keep: ${describeExpiry(share.expiresAt)}`} />
          {EXPIRY_CHOICES.filter((c) => c.value !== 'default').map((c) => (
            <SelectItem key={c.value} value={c.value} text={c.label} />
          ))}
        </Select>
        <NumberInput
          id="courier-edit-share-limit"
          label="Download limit (empty: none)"
          min={1}
          allowEmpty
          value={limit}
          onChange={(_e, { value }) => setLimit(value === '' || value === undefined ? '' : Number(value))}
        />
        {share.hasPassword ? (
          <Checkbox
            id="courier-edit-share-clear"
            labelText="Remove the password"
            checked={clearPassword}
            onChange={(_e, { checked }) => setClearPassword(checked)}
          />
        ) : null}
        {!clearPassword ? (
          <PasswordInput
            id="courier-edit-share-password"
            labelText={share.hasPassword ? 'New password (optional)' : 'Password (optional)'}
            value={password}
            autoComplete="new-password"
            invalid={passwordProblem}
            invalidText={`At least ${MIN_SHARE_PASSWORD_CHARS} characters.`}
            onChange={(e) => setPassword(e.target.value)}
          />
        ) : null}
        <TextArea
          id="courier-edit-share-note"
          labelText="Note to the recipient"
          maxCount={2000}
          enableCounter
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        {update.error ? (
          <InlineNotification kind="error" role="alert" lowContrast hideCloseButton title="Not saved" subtitle={update.error.message} />
        ) : null}
      </Stack>
    </Modal>
  );
}
