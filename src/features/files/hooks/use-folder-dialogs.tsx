import { useState } from 'react';
import type { PathResult } from '../../../../contract/files';
import { baseName, joinSpacePath } from '../../../../contract/space-path';
import { useCreateFolder, useDeleteEntries, useRenameEntry } from '../api/file-operations';
import { DeleteDialog } from '../components/delete-dialog';
import { NameDialog } from '../components/name-dialog';

export type FolderDialog = 'new-folder' | 'rename' | 'delete';

export interface FolderDialogsOptions {
  spaceId: string;
  /** The folder shown: where a new folder goes. */
  path: string;
  /** The selected space paths: what Rename (one of them) and Delete act on. */
  selected: string[];
  /** The whole folder is selected (its name, how many, the rows left out): Delete acts on all of it but those. */
  all?: { folderName: string; count: number; except: string[] } | undefined;
  /** After a folder was created, with its path; the dialog has closed. */
  onCreated: (path: string) => void;
  /** After an entry was renamed, with its new path; the dialog has closed. */
  onRenamed: (path: string) => void;
  /** After the server answered a delete; the dialog stays open when some were not deleted. */
  onDeleted: (results: PathResult[]) => void;
}

/**
 * New folder, rename and delete: which dialog is open and the mutation behind each. The mutations
 * live here, not in the dialogs, so that one still finishing after its dialog was closed still
 * reports; opening a dialog clears what the last one left (its error, its results).
 */
export function useFolderDialogs({ spaceId, path, selected, all, onCreated, onRenamed, onDeleted }: FolderDialogsOptions) {
  const [dialog, setDialog] = useState<FolderDialog | null>(null);
  const createFolder = useCreateFolder(spaceId, path);
  const rename = useRenameEntry(spaceId, path);
  const remove = useDeleteEntries(spaceId, path);
  const renaming = selected.length === 1 ? selected[0] : undefined;
  const close = () => setDialog(null);

  const open = (which: FolderDialog) => {
    createFolder.reset();
    rename.reset();
    remove.reset();
    setDialog(which);
  };

  const dialogs = (
    <>
      {dialog === 'new-folder' ? (
        <NameDialog
          title="New folder"
          submitLabel="Create"
          pending={createFolder.isPending}
          error={createFolder.error}
          onClose={close}
          onSubmit={(name) =>
            createFolder.mutate(joinSpacePath(path, name), {
              onSuccess: () => {
                setDialog(null);
                onCreated(joinSpacePath(path, name));
              },
            })
          }
        />
      ) : null}
      {dialog === 'rename' && renaming !== undefined ? (
        <NameDialog
          title={`Rename ${baseName(renaming)}`}
          submitLabel="Rename"
          initialName={baseName(renaming)}
          pending={rename.isPending}
          error={rename.error}
          onClose={close}
          onSubmit={(newName) =>
            rename.mutate(
              { path: renaming, newName },
              {
                onSuccess: () => {
                  setDialog(null);
                  onRenamed(joinSpacePath(path, newName));
                },
              },
            )
          }
        />
      ) : null}
      {dialog === 'delete' ? (
        <DeleteDialog
          paths={selected}
          all={all}
          pending={remove.isPending}
          error={remove.error}
          results={remove.data?.some((r) => !r.ok) ? remove.data : undefined}
          onClose={close}
          onConfirm={() =>
            remove.mutate(all ? { allOf: path, except: all.except } : { paths: selected }, {
              onSuccess: (results) => {
                onDeleted(results);
                if (results.every((r) => r.ok)) setDialog(null);
              },
            })
          }
        />
      ) : null}
    </>
  );

  return { open, dialogs };
}
