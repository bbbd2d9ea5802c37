import type { UploadSource } from '../../transfer-clients';

/** What a drop or a pick holds, ready to be checked and sent. */
export interface CollectedUpload {
  sources: UploadSource[];
  /** Folders of the tree with nothing inside, relative to the drop (`Tree/empty`). */
  emptyFolders: string[];
  /** Paths the browser would not let us read (permissions, a file gone since the drop). */
  unreadable: string[];
  /** Traversal stopped once the drop held more than the limit. */
  truncated: boolean;
}
