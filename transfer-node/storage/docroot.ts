/**
 * The docroot on disk. Every access goes through `resolve` (follows symlinks, for reading) or
 * `resolveEntry` (does not follow the last segment, for delete/rename/write), which walk the path
 * one segment at a time so that a symlink anywhere along it is checked.
 *
 * A link is followed only when its real target lies inside the folder that holds it. Checking
 * against the docroot alone let `alpha/docs/link -> ../../beta` take an operation granted on
 * /alpha (a space root, a token's folder, a Node API prefix) into /beta. With this rule every
 * operation stays inside each folder its path passes through. The staging folder is refused by
 * identity (device and inode, real path) wherever a path reaches it (README, "Links").
 */
import { lstat, mkdir, readdir, realpath, rm, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { ERRORS } from '../errors';
import { readEntries, type DirEntry } from './dir-entries';
import { STAGED_SESSIONS_DIR, STAGING_DIR, toNodePath } from './node-path';

export interface ResolvedPath {
  nodePath: string;
  /** Absolute path on disk (symlinks followed up to, and for `resolve` including, the last segment). */
  abs: string;
  /** `stat` (for `resolve`) or `lstat` (for `resolveEntry`) of `abs`, null when it does not exist. */
  stats: Stats | null;
}

export class Docroot {
  private staging: { dev: number; ino: number } = { dev: -1, ino: -1 };

  private constructor(readonly root: string) {}

  /**
   * Creates the docroot if missing and empties the staging folder left by a killed process, but
   * for its upload sessions, which a restart continues (docs/http-gateway.md §11.5).
   */
  static async open(dir: string): Promise<Docroot> {
    await mkdir(dir, { recursive: true });
    const docroot = new Docroot(await realpath(dir));
    await mkdir(docroot.stagingDir, { recursive: true, mode: 0o700 });
    for (const entry of await readdir(docroot.stagingDir)) {
      if (entry !== STAGED_SESSIONS_DIR) await rm(join(docroot.stagingDir, entry), { recursive: true, force: true });
    }
    const staging = await lstat(docroot.stagingDir);
    docroot.staging = { dev: staging.dev, ino: staging.ino };
    return docroot;
  }

  /**
   * The same docroot seen from the folder `segments` (an access key's storage root,
   * docs/node-api.md §1.2): paths resolve below it and links are held to it exactly as the docroot
   * holds the node user's, and the staging folder stays refused by identity.
   */
  async jail(segments: readonly string[]): Promise<Docroot> {
    const { abs, missing } = await this.walk(segments, segments.length);
    if (missing) throw ERRORS.notFound("The access key's storage folder does not exist");
    if (!(await stat(abs)).isDirectory()) throw ERRORS.notAFolder();
    const jailed = new Docroot(abs);
    jailed.staging = this.staging;
    return jailed;
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
        current = await this.followed(current, next);
      } else if (stats.isSymbolicLink()) {
        current = await this.followed(current, next);
      } else {
        this.refuseStaging(stats, next);
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
      if (stats.isSymbolicLink()) {
        current = await this.followed(current, next);
      } else {
        this.refuseStaging(stats, next);
        current = next;
      }
    }
    return { abs: current, missing: false };
  }

  /** The real target of the link `abs` held by the real folder `folder`, if the rule allows it. */
  private async followed(folder: string, abs: string): Promise<string> {
    const real = await realpath(abs).catch(ignoreMissing);
    const link = this.nodePathOf(abs) ?? abs;
    // A dangling link is refused: its target cannot be verified, and could be created later.
    if (real === null) throw ERRORS.linkRefused(link, 'its target does not exist');
    if (isInside(this.stagingDir, real)) throw ERRORS.linkRefused(link, "it leads into the node's staging area");
    if (!isInside(folder, real)) throw ERRORS.linkRefused(link, 'it leads outside the folder that holds it');
    this.refuseStaging(await stat(real), real);
    return real;
  }

  /** The staging folder by identity, so a bind mount or a renamed path cannot reach it either. */
  private refuseStaging(stats: Stats, abs: string): void {
    if (stats.dev === this.staging.dev && stats.ino === this.staging.ino) {
      throw ERRORS.forbidden(`Path is reserved by the node: ${this.nodePathOf(abs) ?? ''}`.trim());
    }
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
