/**
 * The docroot on disk. Every access goes through `resolve` (follows symlinks, for reading) or
 * `resolveEntry` (does not follow the last segment, for delete/rename/write), which walk the path
 * one segment at a time so that a symlink anywhere along it is checked against the real docroot.
 */
import { lstat, mkdir, realpath, rm, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { ERRORS } from '../errors';
import { readEntries, type DirEntry } from './dir-entries';
import { STAGING_DIR, toNodePath } from './node-path';

export interface ResolvedPath {
  nodePath: string;
  /** Absolute path on disk (symlinks followed up to, and for `resolve` including, the last segment). */
  abs: string;
  /** `stat` (for `resolve`) or `lstat` (for `resolveEntry`) of `abs`, null when it does not exist. */
  stats: Stats | null;
}

export class Docroot {
  private constructor(readonly root: string) {}

  /** Creates the docroot if missing and empties the staging folder left by a killed process. */
  static async open(dir: string): Promise<Docroot> {
    await mkdir(dir, { recursive: true });
    const docroot = new Docroot(await realpath(dir));
    await rm(docroot.stagingDir, { recursive: true, force: true });
    await mkdir(docroot.stagingDir, { recursive: true, mode: 0o700 });
    return docroot;
  }

  get stagingDir(): string {
    return join(this.root, STAGING_DIR);
  }

  private contains(abs: string): boolean {
    return isInside(this.root, abs);
  }

  /** Follows symlinks along the whole path; a link that leaves the docroot is refused. */
  async resolve(segments: readonly string[]): Promise<ResolvedPath> {
    const { abs, missing } = await this.walk(segments, segments.length);
    if (missing) return { nodePath: toNodePath(segments), abs, stats: null };
    return { nodePath: toNodePath(segments), abs, stats: await stat(abs) };
  }

  /** Follows symlinks in the parent folders only, so the entry itself can be a link to remove. */
  async resolveEntry(segments: readonly string[]): Promise<ResolvedPath> {
    if (segments.length === 0) return this.resolve(segments);
    const parent = await this.walk(segments, segments.length - 1);
    const abs = join(parent.abs, segments[segments.length - 1] as string);
    const stats = parent.missing ? null : await lstat(abs).catch(ignoreMissing);
    return { nodePath: toNodePath(segments), abs, stats };
  }

  /** Where a folder is, following links along the way, without a stat of its own; `missing` if a part is absent. */
  locate(segments: readonly string[]): Promise<{ abs: string; missing: boolean }> {
    return this.walk(segments, segments.length);
  }

  /** Creates the folders of `segments` one by one, never through a link that leaves the docroot. */
  async ensureDir(segments: readonly string[]): Promise<string> {
    let current = this.root;
    for (const segment of segments) {
      const next = join(current, segment);
      const stats = await lstat(next).catch(ignoreMissing);
      if (!stats) {
        await mkdir(next).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'EEXIST') throw err;
        });
        current = await this.checked(next);
      } else if (stats.isSymbolicLink()) {
        current = await this.checked(next);
      } else {
        current = next;
      }
      if (!(await stat(current)).isDirectory()) throw ERRORS.notAFolder();
    }
    return current;
  }

  private async walk(segments: readonly string[], upTo: number): Promise<{ abs: string; missing: boolean }> {
    let current = this.root;
    for (let i = 0; i < upTo; i++) {
      const next = join(current, segments[i] as string);
      const stats = await lstat(next).catch(ignoreMissing);
      if (!stats) return { abs: join(next, ...segments.slice(i + 1, upTo)), missing: true };
      current = stats.isSymbolicLink() ? await this.checked(next) : next;
    }
    return { abs: current, missing: false };
  }

  private async checked(abs: string): Promise<string> {
    const real = await realpath(abs).catch(ignoreMissing);
    // A dangling link is treated as leaving the docroot: its target cannot be verified.
    if (real === null || !this.contains(real)) throw ERRORS.outsideDocroot();
    return real;
  }

  /** Node path of an absolute path known to be inside the docroot (for symlink targets). */
  nodePathOf(abs: string): string | null {
    if (!this.contains(abs)) return null;
    return toNodePath(abs.slice(this.root.length).split(sep).filter(Boolean));
  }

  async list(abs: string): Promise<DirEntry[]> {
    const entries = await readEntries(abs);
    return abs === this.root ? entries.filter((e) => e.name !== STAGING_DIR) : entries;
  }
}

/** True when the absolute path `abs` is `root` or below it. */
export function isInside(root: string, abs: string): boolean {
  return abs === root || abs.startsWith(root.endsWith(sep) ? root : root + sep);
}

export function ignoreMissing(err: NodeJS.ErrnoException): null {
  if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
  throw err;
}
