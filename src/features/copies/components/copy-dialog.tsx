import { Button, InlineNotification, InlineLoading, Modal, Select, SelectItem, Stack } from '@carbon/react';
import { ArrowUp, Folder } from '@carbon/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { roleAllows } from '../../../../contract/roles';
import { baseName } from '../../../../contract/space-path';
import { useReturnFocus } from '../../../hooks/use-return-focus';
import { spacesQueryOptions } from '../../../lib/spaces-query';
import { useCopyItems } from '../api/copy-items';
import { useSubfolders } from '../api/get-subfolders';

export interface CopyDialogProps {
  spaceId: string;
  paths: string[];
  move: boolean;
  onClose: () => void;
}

/**
 * "Copy to…" / "Move to…": a space the person may upload to and a folder in it, walked one level
 * at a time with buttons (keyboard: Tab and Enter). The bytes go node to node; the transfer then
 * shows in the tray like any other.
 */
export function CopyDialog({ spaceId, paths, move, onClose }: CopyDialogProps) {
  useReturnFocus();
  const spaces = useQuery(spacesQueryOptions()).data ?? [];
  const targets = spaces.filter((s) => roleAllows(s.role, 'upload'));
  const [chosenSpace, setChosenSpace] = useState<string | null>(null);
  const targetId = chosenSpace ?? (targets.some((s) => s.id === spaceId) ? spaceId : (targets[0]?.id ?? ''));
  const [folder, setFolder] = useState('/');
  const subfolders = useSubfolders(targetId, folder);
  const copy = useCopyItems();
  const here = useRef<HTMLParagraphElement>(null);
  const moved = useRef(false);
  const verb = move ? 'Move' : 'Copy';
  const what = paths.length === 1 ? baseName(paths[0] ?? '') : `${paths.length} items`;
  const spaceName = targets.find((s) => s.id === targetId)?.name ?? '';

  // After opening or leaving a folder its button is gone: focus goes to where the person now is.
  useEffect(() => {
    if (moved.current) here.current?.focus();
    moved.current = true;
  }, [folder, targetId]);

  const submit = () => {
    if (copy.isPending || targetId === '') return;
    copy.mutate({ spaceId, paths, to: { spaceId: targetId, folder }, move }, { onSuccess: onClose });
  };

  return (
    <Modal
      open
      modalHeading={`${verb} ${what} to…`}
      primaryButtonText={copy.isPending ? (move ? 'Moving…' : 'Copying…') : `${verb} here`}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={copy.isPending || targetId === ''}
      onRequestSubmit={submit}
      onRequestClose={onClose}
      size="sm"
    >
      <Stack gap={5}>
        {targets.length === 0 ? <p>You may not add files to any space.</p> : null}
        <Select
          id="courier-copy-space"
          labelText="Space"
          value={targetId}
          onChange={(e) => {
            setChosenSpace(e.target.value);
            setFolder('/');
          }}
        >
          {targets.map((s) => (
            <SelectItem key={s.id} value={s.id} text={s.name} />
          ))}
        </Select>
        <div>
          <p ref={here} id="courier-copy-here" tabIndex={-1} aria-live="polite" className="courier-copy__here">
            Into {spaceName}, {folder === '/' ? 'its top folder' : folder}
          </p>
          {folder !== '/' ? (
            <Button size="sm" kind="ghost" renderIcon={ArrowUp} onClick={() => setFolder(parentOf(folder))}>
              Up to {parentOf(folder) === '/' ? 'the top folder' : baseName(parentOf(folder))}
            </Button>
          ) : null}
          {subfolders.isPending && targetId !== '' ? <InlineLoading description="Loading folders…" /> : null}
          {subfolders.error ? <p role="alert">The folders could not be listed: {subfolders.error.message}</p> : null}
          {subfolders.data?.length === 0 ? <p>No folders here.</p> : null}
          {subfolders.data?.length ? (
            <ul aria-label="Folders here" className="courier-copy__folders">
              {subfolders.data.map((name) => (
                <li key={name}>
                  <Button
                    size="sm"
                    kind="ghost"
                    renderIcon={Folder}
                    aria-label={`Open folder ${name}`}
                    onClick={() => setFolder(`${folder === '/' ? '' : folder}/${name}`)}
                  >
                    {name}
                  </Button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        {copy.error ? (
          <InlineNotification
            kind="error"
            role="alert"
            lowContrast
            hideCloseButton
            title={move ? 'Nothing was moved' : 'Nothing was copied'}
            subtitle={copy.error.message}
          />
        ) : null}
      </Stack>
    </Modal>
  );
}

function parentOf(path: string): string {
  const parent = path.replace(/\/[^/]+$/, '');
  return parent === '' ? '/' : parent;
}
