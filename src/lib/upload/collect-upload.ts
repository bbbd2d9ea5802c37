import type { UploadSource } from '../../transfer-clients';
import { describeUnreadable } from './check-upload';
import type { CollectedUpload } from './collected-upload';

const join = (parent: string, name: string) => (parent ? `${parent}/${name}` : name);

/** A directory reader hands out entries in batches (100 in Chromium) until an empty one. */
async function readAllEntries(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/**
 * Walks dropped entries (from `DataTransferItem.webkitGetAsEntry()`, taken during the drop event:
 * the items are emptied once it returns), keeping the tree: nested folders, empty folders and
 * 0-byte files. Stops past `limit` files rather than walking a whole disk.
 */
export async function collectEntries(entries: readonly FileSystemEntry[], limit: number): Promise<CollectedUpload> {
  const result: CollectedUpload = { sources: [], emptyFolders: [], unreadable: [], truncated: false };
  const visit = async (entry: FileSystemEntry, parent: string): Promise<void> => {
    if (result.truncated) return;
    const path = join(parent, entry.name);
    if (entry.isFile) {
      if (result.sources.length >= limit) {
        result.truncated = true;
        return;
      }
      try {
        result.sources.push({ file: await fileOf(entry as FileSystemFileEntry), path });
      } catch {
        result.unreadable.push(path);
      }
      return;
    }
    if (entry.isDirectory) {
      let children: FileSystemEntry[];
      try {
        children = await readAllEntries(entry as FileSystemDirectoryEntry);
      } catch {
        result.unreadable.push(`${path}/`);
        return;
      }
      if (children.length === 0) result.emptyFolders.push(path);
      for (const child of children) await visit(child, path);
    }
  };
  for (const entry of entries) await visit(entry, '');
  return result;
}

/**
 * What a drop holds, taken now (the DataTransfer is emptied once the drop handler returns) and read
 * later: the dropped tree when the browser gives entries, else its flat file list.
 */
export function collectDrop(data: DataTransfer, limit: number): () => Promise<CollectedUpload> | CollectedUpload {
  const items = Array.from(data.items).filter((item) => item.kind === 'file');
  const entries = items.map((item) => item.webkitGetAsEntry?.()).filter((entry): entry is FileSystemEntry => entry != null);
  const files = Array.from(data.files);
  return () => (entries.length > 0 ? collectEntries(entries, limit) : collectFileList(files, limit));
}

/** Files from `<input type=file multiple>` or `<input webkitdirectory>` (no empty folders there). */
export function collectFileList(files: ArrayLike<File>, limit: number): CollectedUpload {
  const list = Array.from(files);
  return {
    sources: list.slice(0, limit).map((file) => ({ file, path: file.webkitRelativePath || file.name })),
    emptyFolders: [],
    unreadable: [],
    truncated: list.length > limit,
  };
}

/**
 * A file can be listed yet not readable (permissions, removed since the drop): read one byte of
 * each, so the user hears about it now rather than halfway through the upload. The bytes of a
 * thousand files are read as one Blob (one read where the browser allowed it file by file: 10,000
 * files took 15 s that way); only a group that fails is read again file by file, to name them.
 * Stops between groups once `signal` aborts.
 */
export async function findUnreadable(sources: readonly UploadSource[], signal?: AbortSignal): Promise<string[]> {
  const unreadable: string[] = [];
  const group = 1000;
  for (let i = 0; i < sources.length && !signal?.aborted; i += group) {
    const some = sources.slice(i, i + group).filter(({ file }) => file.size > 0);
    const readable = await new Blob(some.map(({ file }) => file.slice(0, 1))).arrayBuffer().then(
      () => true,
      () => false,
    );
    if (!readable) unreadable.push(...(await unreadableOneByOne(some)));
  }
  return unreadable;
}

async function unreadableOneByOne(sources: readonly UploadSource[]): Promise<string[]> {
  const unreadable: string[] = [];
  const batch = 32;
  for (let i = 0; i < sources.length; i += batch) {
    await Promise.all(
      sources.slice(i, i + batch).map(async ({ file, path }) => {
        try {
          await file.slice(0, 1).arrayBuffer();
        } catch {
          unreadable.push(path);
        }
      }),
    );
  }
  return unreadable;
}

/**
 * The readability check of one drop, begun at once. A small drop waits for it (a hundred files take
 * a tenth of a second); a large one is reviewed while it runs, and confirming abandons it: opening
 * each file costs the browser about a millisecond, the upload opens them all again, and a file it
 * cannot open fails it at once, which `check` then explains.
 */
export interface ReadabilityCheck {
  /** Null when every file could be read (or the check was abandoned), else why not, naming them. */
  first: Promise<string | null>;
  abandon: () => void;
  /** A fresh check, for a failure to be explained. */
  check: () => Promise<string | null>;
}

export function startReadabilityCheck(sources: readonly UploadSource[]): ReadabilityCheck {
  const controller = new AbortController();
  const run = (signal?: AbortSignal) =>
    findUnreadable(sources, signal).then((paths) => (paths.length > 0 && !signal?.aborted ? describeUnreadable(paths) : null));
  return { first: run(controller.signal), abandon: () => controller.abort(), check: () => run() };
}
