/**
 * Atomic upload writes. Bytes go to a partial file in the docroot's staging folder (same file
 * system, so the final step is a rename) and reach their final name only when complete and of the
 * announced size. The staging folder is emptied at start, so a killed process leaves nothing behind.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { link, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ERRORS } from '../errors';
import { isInside, type Docroot } from './docroot';
import type { FolderListings } from './folder-listing';

export interface StagedFile {
  partial: string;
  stream: WriteStream;
}

export class UploadWriter {
  constructor(
    private readonly docroot: Docroot,
    private readonly listings: FolderListings,
  ) {}

  stage(): StagedFile {
    const partial = join(this.docroot.stagingDir, `${randomUUID()}.partial`);
    // 'wx': never reuse an existing file; 0o640: not world-readable while in flight.
    return { partial, stream: createWriteStream(partial, { flags: 'wx', mode: 0o640, highWaterMark: 1024 * 1024 }) };
  }

  async discard(partial: string): Promise<void> {
    await rm(partial, { force: true });
  }

  /**
   * Refuses early (before any byte is written) when the target exists and may not be replaced,
   * or when a link inside the docroot would take it out of the token's folder `grantRoot`.
   * `commit` checks again, atomically, since another upload may have finished meanwhile.
   */
  async checkTarget(segments: readonly string[], overwrite: boolean, grantRoot: readonly string[]): Promise<void> {
    const target = await this.docroot.resolveEntry(segments);
    await this.checkGranted(dirname(target.abs), grantRoot);
    if (!target.stats) return;
    if (target.stats.isDirectory()) throw ERRORS.exists('A folder exists with the name of an uploaded file');
    if (target.stats.isSymbolicLink()) throw ERRORS.forbidden('An upload cannot replace a symbolic link');
    if (!overwrite) throw ERRORS.exists('File already exists and the overwrite policy is "never"');
  }

  private async checkGranted(parentAbs: string, grantRoot: readonly string[]): Promise<void> {
    const root = await this.docroot.resolve(grantRoot);
    if (!isInside(root.abs, parentAbs)) throw ERRORS.forbidden('A link leads outside the folder the token covers');
  }

  /** Moves a complete partial file to its final name; returns the absolute final path. */
  async commit(partial: string, segments: readonly string[], overwrite: boolean, grantRoot: readonly string[]): Promise<string> {
    await this.checkTarget(segments, overwrite, grantRoot);
    const parent = await this.docroot.ensureDir(segments.slice(0, -1));
    await this.checkGranted(parent, grantRoot);
    const finalPath = join(parent, segments[segments.length - 1] as string);
    if (overwrite) {
      await rename(partial, finalPath);
    } else {
      // link() fails with EEXIST instead of replacing: no race can overwrite a file under "never".
      await link(partial, finalPath);
      await unlink(partial);
    }
    this.listings.invalidate(dirname(finalPath));
    return finalPath;
  }
}
