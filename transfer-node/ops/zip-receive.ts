/**
 * A folder received from a remote HTTP Gateway (docs/node-api.md §5.1): the gateway answers a
 * folder as one stored zip (docs/http-gateway.md §4), which this node keeps in its staging folder,
 * then unpacks entry by entry into more staged files. Nothing reaches a final name here; the caller
 * commits every file once the whole folder is unpacked, so a failure leaves no partial folder.
 */
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { open as openZip, type Entry, type ZipFile } from 'yauzl';
import { MAX_TRANSFER_FILES } from '../../contract/transfer-limits';
import type { NodeContext } from '../context';
import { NodeError } from '../errors';
import { parseNodePath } from '../storage/node-path';

export interface UnpackedFolder {
  /** Staged files with their paths below the folder; the caller commits or discards them. */
  files: Array<{ partial: string; segments: string[]; size: number }>;
  /** Folders below the folder (empty ones included), to create even when nothing lands in them. */
  folders: string[][];
}

export async function unpackFolderZip(ctx: NodeContext, zipPath: string, signal: AbortSignal): Promise<UnpackedFolder> {
  // yauzl refuses absolute names and `..` itself (strictFileNames: backslashes too) and checks each
  // entry's size against the central directory.
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    openZip(zipPath, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z))),
  ).catch((err: unknown) => {
    throw new NodeError(502, `The remote HTTP Gateway answered a zip this node cannot read: ${(err as Error).message}`, 'remote');
  });
  const out: UnpackedFolder = { files: [], folders: [] };
  try {
    for (;;) {
      if (signal.aborted) throw new NodeError(499, 'The transfer was canceled');
      zip.readEntry();
      const next = await Promise.race([once(zip, 'entry').then(([e]) => e as Entry), once(zip, 'end').then(() => null)]);
      if (next === null) break;
      const isFolder = next.fileName.endsWith('/');
      // The node's own path rules (NUL, control characters, over-long names) on every name.
      const segments = parseNodePath(next.fileName.replace(/\/$/, ''), { allowLeadingSlash: false });
      if (isFolder) {
        out.folders.push(segments);
        continue;
      }
      if (out.files.length >= MAX_TRANSFER_FILES)
        throw new NodeError(413, `The folder holds more than ${MAX_TRANSFER_FILES} files: receive its subfolders one by one`);
      if (next.compressionMethod !== 0)
        throw new NodeError(502, `${next.fileName} is compressed in the zip; the HTTP Gateway stores them`, 'remote');
      const staged = ctx.uploads.stage();
      out.files.push({ partial: staged.partial, segments, size: next.uncompressedSize });
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        zip.openReadStream(next, (err, s) => (err ? reject(err) : resolve(s))),
      );
      await pipeline(stream, staged.stream, { signal });
    }
  } finally {
    zip.close();
  }
  return out;
}
