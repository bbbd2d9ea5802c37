import { Button } from '@carbon/react';
import { Link } from 'react-router';
import { ApiError } from '../../../lib/api-client';
import { folderUrl } from '../../../lib/folder-url';

/** What the table shows when there are no rows: loading, empty, or why it failed (by code). */
export function FolderState(props: { spaceId: string; error: unknown; pending: boolean; canUpload: boolean; onRetry: () => void }) {
  if (props.pending) return <p className="courier-files-state">Loading…</p>;
  if (!props.error) {
    return (
      <div className="courier-files-state">
        <p className="courier-files-state__title">This folder is empty</p>
        <p>
          {props.canUpload ? 'Drop files or folders here, or use "Upload files" and "Upload folder".' : 'Nothing has been shared here yet.'}
        </p>
      </div>
    );
  }
  const code = props.error instanceof ApiError ? props.error.code : 'INTERNAL';
  switch (code) {
    case 'FOLDER_NOT_FOUND':
    case 'PATH_NOT_FOUND':
    case 'INVALID_PATH':
      return (
        <div className="courier-files-state" role="alert">
          <p className="courier-files-state__title">This folder does not exist</p>
          <p>Someone may have moved, renamed or deleted it.</p>
          <Link className="cds--link" to={folderUrl(props.spaceId, '/')}>
            Go to the top of the space
          </Link>
        </div>
      );
    case 'SPACE_NOT_FOUND':
    case 'FORBIDDEN':
    case 'NOT_FOUND':
      return (
        <div className="courier-files-state" role="alert">
          <p className="courier-files-state__title">You cannot open this space</p>
          <p>It does not exist, or you are not a member of it.</p>
          <Link className="cds--link" to="/files">
            See your spaces
          </Link>
        </div>
      );
    case 'NODE_UNAVAILABLE':
    case 'NODE_ERROR':
    case 'NETWORK_ERROR':
      return (
        <div className="courier-files-state" role="alert">
          <p className="courier-files-state__title">
            {code === 'NETWORK_ERROR' ? 'Courier cannot be reached' : 'The storage server is not answering'}
          </p>
          <p>Your files are safe; they cannot be listed right now.</p>
          <Button kind="tertiary" size="sm" onClick={props.onRetry}>
            Try again
          </Button>
        </div>
      );
    default:
      return (
        <div className="courier-files-state" role="alert">
          <p className="courier-files-state__title">This folder could not be listed</p>
          <p>Something went wrong ({code}).</p>
          <Button kind="tertiary" size="sm" onClick={props.onRetry}>
            Try again
          </Button>
        </div>
      );
  }
}
