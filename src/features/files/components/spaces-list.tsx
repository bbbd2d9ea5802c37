import { Button, Tag } from '@carbon/react';
import { Folder, FolderShared } from '@carbon/icons-react';
import { Link } from 'react-router';
import type { Role } from '../../../../contract/spaces';
import { ApiError } from '../../../lib/api-client';
import { useSpaces } from '../api/get-spaces';
import { folderUrl } from '../../../lib/folder-url';

const ROLE_LABEL: Record<Role, string> = {
  viewer: 'Can view',
  contributor: 'Can upload',
  manager: 'Manager',
};

export function SpacesList() {
  const spaces = useSpaces();
  return (
    <section className="courier-page" aria-labelledby="files-title">
      <title>Files · Courier</title>
      <h1 id="files-title" className="courier-page__title">
        Files
      </h1>
      <p className="courier-page__lead">Open a space to browse it, drop files on it, or download from it.</p>
      {spaces.isPending ? <p className="courier-files-state">Loading your spaces…</p> : null}
      {spaces.isError ? (
        <div className="courier-files-state" role="alert">
          <p className="courier-files-state__title">Your spaces could not be listed</p>
          <p>
            {spaces.error instanceof ApiError && spaces.error.code === 'NETWORK_ERROR'
              ? 'Courier cannot be reached. Check your connection.'
              : `Something went wrong (${spaces.error.code}).`}
          </p>
          <Button kind="tertiary" size="sm" onClick={() => void spaces.refetch()}>
            Try again
          </Button>
        </div>
      ) : null}
      {spaces.data?.length === 0 ? <p className="courier-files-state">You are not a member of any space yet.</p> : null}
      {spaces.data && spaces.data.length > 0 ? (
        <ul className="courier-spaces" aria-label="Spaces">
          {spaces.data.map((space) => (
            <li key={space.id} className="courier-spaces__item">
              <Link className="courier-spaces__link" to={folderUrl(space.id, '/')}>
                {space.personal ? <Folder size={24} aria-hidden="true" /> : <FolderShared size={24} aria-hidden="true" />}
                <span className="courier-spaces__name">{space.name}</span>
              </Link>
              <Tag size="sm" type={space.role === 'viewer' ? 'gray' : 'blue'}>
                {ROLE_LABEL[space.role]}
              </Tag>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
