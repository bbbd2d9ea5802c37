import type { CreateTransferResponse } from '../../../../contract/transfers';
import type { LocalItem, UploadSource } from '../../../transfer-clients';

export interface UploadInput {
  spaceId: string;
  folder: string;
  sources: UploadSource[];
  emptyFolders: string[];
  /** Top-level names the person chose to replace where they exist (the portal allows it to managers). */
  replace?: string[];
  /** Picked through Desktop's own dialogs: real local paths, carried by Desktop only. */
  localItems?: LocalItem[];
  /**
   * Whether the browser can read every source now: null, or why not (naming them). Asked when a
   * gateway upload fails, so a file removed or changed since the pick is named, rather than the
   * failure looking like a lost network (Chromium's XHR reports both the same way).
   */
  checkReadable?: () => Promise<string | null>;
  /**
   * A feature that authorizes its own way (a package: `POST /api/packages`, docs/packages.md §2)
   * answers as `POST /api/transfers` does; the runner carries the rest. A retry asks it again.
   */
  authorize?: () => Promise<CreateTransferResponse>;
}

export interface DownloadInput {
  spaceId: string;
  paths: string[];
  /** Instead of `paths`: every entry of this folder, which the portal reads from the node… */
  allOf?: string;
  /** …but these. */
  except?: string[];
  /** As for an upload: a download a feature authorizes its own way (a package's). */
  authorize?: () => Promise<CreateTransferResponse>;
}

/** What a transfer was started with: enough to authorize it again for a retry. */
export type TransferStart = { direction: 'upload'; input: UploadInput } | { direction: 'download'; input: DownloadInput };
