import { Button } from '@carbon/react';
import { Send } from '@carbon/icons-react';
import { useNavigate } from 'react-router';

/** "Send…" on the Files page's selection: a package of stored files, copied on the node (docs/packages.md §8). */
export function SendSelectionButton({ spaceId, paths }: { spaceId: string; paths: string[] }) {
  const navigate = useNavigate();
  const query = new URLSearchParams({ space: spaceId });
  for (const p of paths) query.append('path', p);
  return (
    <Button size="md" kind="ghost" renderIcon={Send} onClick={() => void navigate(`/send?${query.toString()}`)}>
      Send…
    </Button>
  );
}
