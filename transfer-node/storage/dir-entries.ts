/**
 * Folder entries read as bytes. Node decodes names as UTF-8 by default and puts U+FFFD where the
 * bytes are not UTF-8, so such a file could be listed but never reached again by its name (it was
 * listed with size 0 and silently left out of zips). Reading bytes keeps the way to the file.
 */
import { isUtf8 } from 'node:buffer';
import { readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';

export interface DirEntry {
  /** The name as text, with U+FFFD where the bytes on disk are not UTF-8. */
  name: string;
  /** The name's bytes when they are not valid UTF-8 (the text name does not reach the file), else null. */
  rawName: Buffer | null;
  type: 'file' | 'directory' | 'symbolic_link' | 'other';
}

export async function readEntries(absDir: string): Promise<DirEntry[]> {
  const dirents = await readdir(absDir, { withFileTypes: true, encoding: 'buffer' });
  return dirents.map((d) => {
    const bytes = d.name as Buffer;
    const type = d.isSymbolicLink() ? 'symbolic_link' : d.isDirectory() ? 'directory' : d.isFile() ? 'file' : 'other';
    return { name: bytes.toString('utf8'), rawName: isUtf8(bytes) ? null : Buffer.from(bytes), type };
  });
}

/** The path of `entry` in `absDir` that reaches it on disk, as bytes when its name is not UTF-8. */
export function entryPath(absDir: string, entry: { name: string; rawName?: Buffer | null }): string | Buffer {
  if (!entry.rawName) return join(absDir, entry.name);
  return Buffer.concat([Buffer.from(absDir.endsWith(sep) ? absDir : absDir + sep), entry.rawName]);
}
