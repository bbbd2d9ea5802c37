import { normaliseSdkError, isDialogCancelled } from './sdk-errors';
import { TransferClientError } from '../transfer-error';
import type { AsperaSdkGlobal, DataTransferResponse, FileDialogOptions, FolderDialogOptions } from './sdk-types';

/** A file or folder chosen through Desktop: a real local path (docs/aspera-sdk.md §10). */
export interface LocalItem {
  /** Absolute local path: goes into `paths[].source` of a Desktop upload. */
  localPath: string;
  /** Last path segment, for display and for the portal's destination name. */
  name: string;
  size: number;
  type: string;
}

function toLocalItems(response: DataTransferResponse | undefined): LocalItem[] {
  const files = response?.dataTransfer?.files ?? [];
  const byPath = new Map<string, LocalItem>();
  for (const f of files) {
    if (typeof f?.name !== 'string' || !f.name) continue;
    const name = f.name.split(/[\\/]/).filter(Boolean).pop() ?? f.name;
    byPath.set(f.name, { localPath: f.name, name, size: typeof f.size === 'number' ? f.size : 0, type: f.type ?? '' });
  }
  return [...byPath.values()];
}

async function dialog(run: () => Promise<DataTransferResponse>, what: string): Promise<LocalItem[] | null> {
  try {
    return toLocalItems(await run());
  } catch (error) {
    // §10: closing the dialog is a choice, not an error.
    if (isDialogCancelled(error)) return null;
    const { code, message } = normaliseSdkError(error, what);
    throw new TransferClientError(code, message);
  }
}

/** Desktop's own file dialog; `null` when the person closed it. */
export function pickLocalFiles(sdk: AsperaSdkGlobal, options: FileDialogOptions = { multiple: true }): Promise<LocalItem[] | null> {
  return dialog(() => sdk.showSelectFileDialog(options), 'file selection');
}

/** Desktop's own folder dialog (a folder is one entry); `null` when the person closed it. */
export function pickLocalFolders(sdk: AsperaSdkGlobal, options: FolderDialogOptions = { multiple: true }): Promise<LocalItem[] | null> {
  return dialog(() => sdk.showSelectFolderDialog(options), 'folder selection');
}
