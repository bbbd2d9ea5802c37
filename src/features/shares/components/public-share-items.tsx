import { Button, Checkbox, InlineLoading } from '@carbon/react';
import { ChevronDown, ChevronRight, Download } from '@carbon/icons-react';
import { useState } from 'react';
import type { PublicShareItem } from '../../../../contract/shares';
import { formatBytes } from '../../../lib/format-bytes';
import { usePublicFolder } from '../api/public-share';

export interface ItemsProps {
  linkId: string;
  items: PublicShareItem[];
  selected: ReadonlySet<string>;
  onToggle: (path: string) => void;
  onDownload: (item: PublicShareItem) => void;
  busy: boolean;
}

/** The shared items as a tree: a folder opens in place, read from the portal when it is opened. */
export function PublicShareItems(props: ItemsProps) {
  return (
    <ul className="courier-public-share__items" role="list">
      {props.items.map((item) => (
        <ItemRow key={item.path} item={item} {...props} />
      ))}
    </ul>
  );
}

function ItemRow({ item, ...props }: ItemsProps & { item: PublicShareItem }) {
  const [open, setOpen] = useState(false);
  const folder = item.type === 'folder';
  return (
    <li>
      <div className="courier-public-share__row" data-testid="share-item" data-path={item.path}>
        <Checkbox
          id={`pick-${item.path}`}
          labelText={`Select ${item.name}`}
          hideLabel
          checked={props.selected.has(item.path)}
          onChange={() => props.onToggle(item.path)}
        />
        {folder ? (
          <Button
            kind="ghost"
            size="sm"
            renderIcon={open ? ChevronDown : ChevronRight}
            aria-expanded={open}
            onClick={() => setOpen((o) => !o)}
          >
            {item.name}
          </Button>
        ) : (
          <span className="courier-public-share__name">{item.name}</span>
        )}
        <span className="courier-public-share__size">{folder ? 'Folder' : formatBytes(item.size)}</span>
        <Button
          kind="ghost"
          size="sm"
          renderIcon={Download}
          disabled={props.busy}
          onClick={() => props.onDownload(item)}
          aria-label={`Download ${item.name}`}
        >
          Download
        </Button>
      </div>
      {folder && open ? <FolderContents {...props} path={item.path} /> : null}
    </li>
  );
}

function FolderContents(props: Omit<ItemsProps, 'items'> & { path: string }) {
  const folder = usePublicFolder(props.linkId, props.path, true);
  if (folder.isPending) return <InlineLoading description="Opening the folder…" />;
  if (folder.isError) return <p role="alert">{folder.error.message}</p>;
  if (folder.data.items.length === 0) return <p className="courier-public-share__empty">This folder is empty.</p>;
  const more = folder.data.totalCount - folder.data.items.length;
  return (
    <>
      <PublicShareItems {...props} items={folder.data.items} />
      {more > 0 ? <p>{`${more.toLocaleString()} more not shown: download the folder to get them all.`}</p> : null}
    </>
  );
}
