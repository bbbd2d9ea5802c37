import { Button } from '@carbon/react';
import { Download } from '@carbon/icons-react';
import type { ReactNode } from 'react';

export interface DownloadActionsProps {
  /** "Download all", or "Download" where there is one file. */
  allLabel?: string;
  onAll: () => void;
  /** How many items are selected; "Download selected (n)" is offered only with `onSelected`. */
  selected?: number;
  onSelected?: () => void;
  disabled: boolean;
  className?: string;
  /** The page's other actions (Recall), after the downloads. */
  children?: ReactNode;
}

/** The row of download buttons above a package's or a share's files. */
export function DownloadActions({
  allLabel = 'Download all',
  onAll,
  selected = 0,
  onSelected,
  disabled,
  className = 'courier-public-share__actions',
  children,
}: DownloadActionsProps) {
  return (
    <div className={className}>
      <Button renderIcon={Download} disabled={disabled} onClick={onAll}>
        {allLabel}
      </Button>
      {onSelected ? (
        <Button kind="tertiary" disabled={disabled || selected === 0} onClick={onSelected}>
          {`Download selected (${selected})`}
        </Button>
      ) : null}
      {children}
    </div>
  );
}
