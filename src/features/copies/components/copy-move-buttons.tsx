import { Button } from '@carbon/react';
import { Copy, FolderMoveTo } from '@carbon/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { roleAllows } from '../../../../contract/roles';
import { spacesQueryOptions } from '../../../lib/spaces-query';
import { CopyDialog } from './copy-dialog';

/** "Copy to…" and, for a role that may delete here, "Move to…" on the Files page's selection. */
export function CopyMoveButtons({ spaceId, paths }: { spaceId: string; paths: string[] }) {
  const [open, setOpen] = useState<'copy' | 'move' | null>(null);
  const role = useQuery({ ...spacesQueryOptions(), select: (spaces) => spaces.find((s) => s.id === spaceId)?.role ?? null }).data ?? null;
  return (
    <>
      <Button size="md" kind="ghost" renderIcon={Copy} onClick={() => setOpen('copy')}>
        Copy to…
      </Button>
      {roleAllows(role, 'delete') ? (
        <Button size="md" kind="ghost" renderIcon={FolderMoveTo} onClick={() => setOpen('move')}>
          Move to…
        </Button>
      ) : null}
      {open ? <CopyDialog spaceId={spaceId} paths={paths} move={open === 'move'} onClose={() => setOpen(null)} /> : null}
    </>
  );
}
