import { Button } from '@carbon/react';
import { Share } from '@carbon/icons-react';
import { useState } from 'react';
import { ShareDialog } from './share-dialog';

/** "Share" on the Files page's selection: a public link to the selected files and folders. */
export function ShareButton({ spaceId, paths }: { spaceId: string; paths: string[] }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="md" kind="ghost" renderIcon={Share} onClick={() => setOpen(true)}>
        Share
      </Button>
      {open ? <ShareDialog spaceId={spaceId} paths={paths} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
