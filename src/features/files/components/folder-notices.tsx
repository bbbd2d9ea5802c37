import { ActionableNotification, Button, InlineNotification } from '@carbon/react';
import type { IntakeState } from '../hooks/use-upload-intake';

export type FolderNotice = { kind: 'error' | 'success' | 'info'; title: string; subtitle: string };

export interface FolderNoticesProps {
  /** Where a drop or pick is: read, refused (with why) or neither. */
  intake: IntakeState;
  onDismissIntake: () => void;
  /** The outcome of the last action: an upload or download started or refused, a delete. */
  notice: FolderNotice | null;
  onDismissNotice: () => void;
  /** Files picked here as the session ended, waiting since the login: upload them or let them go. */
  held?: { fileCount: number; upload: () => void; discard: () => void } | null;
}

export function FolderNotices({ intake, onDismissIntake, notice, onDismissNotice, held = null }: FolderNoticesProps) {
  return (
    <>
      {held ? (
        <ActionableNotification
          kind="info"
          lowContrast
          inline
          role="status"
          hideCloseButton
          title={`${held.fileCount.toLocaleString()} ${held.fileCount === 1 ? 'item' : 'items'} picked before you logged in again`}
          subtitle="Your session had ended, so nothing was uploaded yet."
          actionButtonLabel="Upload now"
          onActionButtonClick={held.upload}
        >
          <Button size="sm" kind="ghost" onClick={held.discard}>
            Discard
          </Button>
        </ActionableNotification>
      ) : null}
      {intake.step === 'reading' ? <InlineNotification kind="info" lowContrast hideCloseButton title="Reading what you dropped…" /> : null}
      {intake.step === 'refused' ? (
        <InlineNotification
          kind="error"
          lowContrast
          role="alert"
          title={intake.title}
          subtitle={intake.detail}
          onClose={() => {
            onDismissIntake();
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
            onDismissNotice();
            return false;
          }}
        />
      ) : null}
    </>
  );
}
