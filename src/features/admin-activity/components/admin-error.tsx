import { Button } from '@carbon/react';
import type { ApiError } from '../../../lib/api-client';

/** Why an admin list could not be shown, and a way to try again (a refusal has nothing to retry). */
export function AdminError({ what, error, onRetry }: { what: string; error: ApiError; onRetry: () => void }) {
  if (error.code === 'FORBIDDEN')
    return (
      <div className="courier-files-state" role="alert">
        <p className="courier-files-state__title">Not allowed</p>
        <p>Only administrators can see {what}.</p>
      </div>
    );
  return (
    <div className="courier-files-state" role="alert">
      <p className="courier-files-state__title">{`${what[0]?.toUpperCase() ?? ''}${what.slice(1)} could not be loaded`}</p>
      <p>{error.code === 'NETWORK_ERROR' ? 'Courier cannot be reached. Check your connection.' : error.message}</p>
      <Button kind="tertiary" size="sm" onClick={onRetry}>
        Try again
      </Button>
    </div>
  );
}
