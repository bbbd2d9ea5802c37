/**
 * Atomic upload writes. Bytes go to a partial file in the docroot's staging folder (same file
 * system, so the final step is a rename) and reach their final name only when complete and of the
 * announced size. The staging folder is emptied at start, so a killed process leaves nothing behind.
 *
 * One upload request is one `UploadBatch`: it resolves (and checks against the token's folder) each
 * destination folder once per phase instead of once per file, which is what bounds uploads of many
 * small files (every lookup is a thread-pool round trip, and every missing entry a thrown error).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type Stats, type WriteStream } from 'node:fs';
import { link, lstat, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ERRORS } from '../errors';
import { ignoreMissing, isInside, type Docroot } from './docroot';
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

  /** The staging folder: upload sessions keep their staged files in it (docs/http-gateway.md §11.5). */
  get stagingDir(): string {
    return this.docroot.stagingDir;
  }

  stage(): StagedFile {
    const partial = join(this.docroot.stagingDir, `${randomUUID()}.partial`);
    // 'wx': never reuse an existing file; 0o640: not world-readable while in flight.
    return { partial, stream: createWriteStream(partial, { flags: 'wx', mode: 0o640, highWaterMark: 1024 * 1024 }) };
  }

  /**
   * A file an upload session fills part by part (docs/http-gateway.md §11), at a name in its own
   * folder of the staging area (upload-session-store.ts): made empty, then written at each offset.
   */
  async createPartial(partial: string): Promise<void> {
    await writeFile(partial, '', { flag: 'wx', mode: 0o640 });
  }

  /** Positional writes from `start` (pwrite), so parts of one file can be written at once. */
  writeAt(partial: string, start: number): WriteStream {
    return createWriteStream(partial, { flags: 'r+', start, highWaterMark: 1024 * 1024 });
  }

  async sha256(partial: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(partial, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  async discard(partial: string): Promise<void> {
    await rm(partial, { force: true });
  }

  /** The checks and commits of one upload request into the token's folder `grantRoot`. */
  batch(mayReplace: (segments: readonly string[]) => boolean, grantRoot: readonly string[]): UploadBatch {
    return new UploadBatch(this.docroot, this.listings, mayReplace, grantRoot);
  }
}

export class UploadBatch {
  private grantRootAbs: Promise<string> | undefined;
  // Keyed by the folder's segments. Checks (made while bytes arrive) and commits (made once the
  // body is complete) cache apart: a folder an early check saw missing is created at commit.
  private readonly checkedFolders = new Map<string, Promise<{ abs: string; missing: boolean }>>();
  private readonly createdFolders = new Map<string, Promise<string>>();

  constructor(
    private readonly docroot: Docroot,
    private readonly listings: FolderListings,
    private readonly mayReplace: (segments: readonly string[]) => boolean,
    private readonly grantRoot: readonly string[],
  ) {}

  /**
   * Refuses early (before any byte is written) when the target exists and may not be replaced,
   * or when a link inside the docroot would take it out of the token's folder.
   * `commit` checks again, atomically, since another upload may have finished meanwhile.
   */
  async checkTarget(segments: readonly string[]): Promise<void> {
    const folder = await this.once(this.checkedFolders, segments.slice(0, -1), async (parent) => {
      const found = await this.docroot.locate(parent);
      await this.checkGranted(found.abs);
      return found;
    });
    if (folder.missing) return;
    this.checkReplaceable(await lstat(join(folder.abs, lastOf(segments))).catch(ignoreMissing), this.mayReplace(segments));
  }

  /** Moves a complete partial file to its final name; returns the absolute final path. */
  async commit(partial: string, segments: readonly string[]): Promise<string> {
    const parent = await this.once(this.createdFolders, segments.slice(0, -1), async (folder) => {
      const abs = await this.docroot.ensureDir(folder);
      await this.checkGranted(abs);
      return abs;
    });
    const finalPath = join(parent, lastOf(segments));
    const overwrite = this.mayReplace(segments);
    this.checkReplaceable(await lstat(finalPath).catch(ignoreMissing), overwrite);
    if (overwrite) {
      await rename(partial, finalPath);
    } else {
      // link() fails with EEXIST instead of replacing: no race can overwrite a file under "never".
      await link(partial, finalPath);
      await unlink(partial);
    }
    this.listings.invalidate(parent);
    return finalPath;
  }

  private checkReplaceable(stats: Stats | null, overwrite: boolean): void {
    if (!stats) return;
    if (stats.isDirectory()) throw ERRORS.exists('A folder exists with the name of an uploaded file');
    if (stats.isSymbolicLink()) throw ERRORS.forbidden('An upload cannot replace a symbolic link');
    if (!overwrite) throw ERRORS.exists('File already exists and the overwrite policy is "never"');
  }

  private async checkGranted(folderAbs: string): Promise<void> {
    this.grantRootAbs ??= this.docroot.resolve(this.grantRoot).then((root) => root.abs);
    if (!isInside(await this.grantRootAbs, folderAbs)) throw ERRORS.forbidden('A link leads outside the folder the token covers');
  }

  /** `resolve(folder)` once per folder; a refusal is remembered too, so every file in it is refused. */
  private once<T>(
    cache: Map<string, Promise<T>>,
    folder: readonly string[],
    resolve: (folder: readonly string[]) => Promise<T>,
  ): Promise<T> {
    const key = folder.join('/');
    let found = cache.get(key);
    if (!found) {
      found = resolve(folder);
      // Settled here so an unawaited refusal is not reported as unhandled; callers still see it.
      found.catch(() => undefined);
      cache.set(key, found);
    }
    return found;
  }
}

function lastOf(segments: readonly string[]): string {
  const name = segments[segments.length - 1];
  if (name === undefined) throw ERRORS.badRequest('A file part has no name');
  return name;
}
