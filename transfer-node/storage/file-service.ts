/**
 * The gen3 file operations of the Node API (docs/node-api.md §3), on validated node paths.
 * Each method works on one path and throws a NodeError; the routes turn that into a per-item
 * error, as real HSTS does for create/delete/rename.
 */
import { lstat, mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { ERRORS } from '../errors';
import type { Docroot } from './docroot';
import { entryPath } from './dir-entries';
import { FolderListings, type BrowseSort, type ListedEntry } from './folder-listing';
import { parseNodePath, toNodePath } from './node-path';

export interface BrowseEntry {
  path: string;
  basename: string;
  type: 'file' | 'directory' | 'symbolic_link';
  size: number;
  mtime: string;
  permissions: readonly { name: 'view' | 'edit' | 'delete' }[];
  target?: { path: string };
  /** The name on disk is not UTF-8: `path` and `basename` show it with U+FFFD and cannot reach it. */
  name_not_utf8?: true;
}

export interface BrowseResult {
  self: BrowseEntry;
  items: BrowseEntry[];
  item_count: number;
  total_count: number;
}

/** Told of renames and deletes made through this node, by absolute path (the file ids follow them). */
export interface PathChanges {
  moved(fromAbs: string, toAbs: string): Promise<void>;
  removed(abs: string): Promise<void>;
}

const PERMISSIONS: BrowseEntry['permissions'] = [{ name: 'view' }, { name: 'edit' }, { name: 'delete' }];

export class FileService {
  readonly listings: FolderListings;

  /** `listings` is shared by the views of one docroot (access keys' jails), so a write seen by one is seen by all. */
  constructor(
    readonly docroot: Docroot,
    listings?: FolderListings,
    readonly changes?: PathChanges,
  ) {
    this.listings = listings ?? new FolderListings(docroot);
  }

  segments(path: unknown): string[] {
    return parseNodePath(path, { allowLeadingSlash: true });
  }

  async browse(path: unknown, skip: number, count: number, sort: BrowseSort, caseSensitive: boolean): Promise<BrowseResult> {
    const segments = this.segments(path);
    const resolved = await this.docroot.resolve(segments);
    if (!resolved.stats) throw ERRORS.notFound();
    if (!resolved.stats.isDirectory()) {
      // docs/node-api.md §3 browse: on a file, `self` is that file's own entry (its size, not a folder's 0).
      return { self: this.entry(resolved.nodePath, resolved.stats, 'file'), items: [], item_count: 0, total_count: 0 };
    }
    const self = this.entry(resolved.nodePath, resolved.stats, 'directory');
    const all = await this.listings.sorted(resolved.abs, resolved.stats, sort, caseSensitive);
    const page = all.slice(skip, skip + count);
    const items = await Promise.all(page.map((e) => this.listedEntry(resolved.abs, segments, e)));
    return { self, items, item_count: items.length, total_count: all.length };
  }

  private async listedEntry(absDir: string, dirSegments: string[], listed: ListedEntry): Promise<BrowseEntry> {
    const nodePath = toNodePath([...dirSegments, listed.name]);
    const stats = await lstat(entryPath(absDir, listed)).catch(() => null);
    if (!stats)
      return {
        path: nodePath,
        basename: listed.name,
        type: listed.type,
        size: 0,
        mtime: new Date(0).toISOString(),
        permissions: PERMISSIONS,
      };
    const entry = this.entry(nodePath, stats, listed.type);
    if (listed.rawName) {
      // Listed honestly (real size and time) but marked: its path, a JSON string, cannot name these
      // bytes, so no operation can reach it through this API (README, "Odd file names").
      return { ...entry, permissions: [], name_not_utf8: true };
    }
    if (listed.type === 'symbolic_link') {
      // Only reveal a link's target when it stays inside the docroot.
      const target = await this.docroot.resolve([...dirSegments, listed.name]).catch(() => null);
      const targetPath = target ? this.docroot.nodePathOf(target.abs) : null;
      if (targetPath) entry.target = { path: targetPath };
    }
    return entry;
  }

  /** The browse entry of a path whose stats are known (search lists the same entries, docs/node-api.md §3). */
  entryOf(nodePath: string, stats: Stats, type: BrowseEntry['type']): BrowseEntry {
    return this.entry(nodePath, stats, type);
  }

  private entry(nodePath: string, stats: Stats, type: BrowseEntry['type']): BrowseEntry {
    const basename = nodePath === '/' ? '' : nodePath.slice(nodePath.lastIndexOf('/') + 1);
    return {
      path: nodePath,
      basename,
      type,
      size: type === 'file' ? stats.size : 0,
      mtime: isoSeconds(stats.mtime),
      permissions: PERMISSIONS,
    };
  }

  async createFolder(path: unknown): Promise<string> {
    const segments = this.segments(path);
    const resolved = await this.docroot.resolveEntry(segments);
    if (resolved.stats) throw ERRORS.exists();
    const parentAbs = await this.docroot.ensureDir(segments.slice(0, -1));
    await mkdir(join(parentAbs, segments[segments.length - 1] as string));
    this.listings.invalidate(parentAbs);
    return resolved.nodePath;
  }

  async delete(path: unknown, recursive: boolean): Promise<string> {
    const segments = this.segments(path);
    if (segments.length === 0) throw ERRORS.forbidden('The docroot itself cannot be deleted');
    const resolved = await this.docroot.resolveEntry(segments);
    if (!resolved.stats) throw ERRORS.notFound();
    if (resolved.stats.isDirectory()) {
      if (recursive) await rm(resolved.abs, { recursive: true });
      else await rmdir(resolved.abs);
    } else {
      await rm(resolved.abs);
    }
    this.listings.invalidate(dirname(resolved.abs));
    await this.changes?.removed(resolved.abs);
    return resolved.nodePath;
  }

  /** `source` and `destination` are relative to the folder `path` (docs/node-api.md §3 rename). */
  async rename(path: unknown, source: unknown, destination: unknown): Promise<void> {
    const base = this.segments(path);
    const from = [...base, ...parseNodePath(source, { allowLeadingSlash: false })];
    const to = [...base, ...parseNodePath(destination, { allowLeadingSlash: false })];
    if (from.length === base.length || to.length === base.length) throw ERRORS.badRequest('Source and destination are required');
    const src = await this.docroot.resolveEntry(from);
    if (!src.stats) throw ERRORS.notFound();
    const dst = await this.docroot.resolveEntry(to);
    if (dst.stats) throw ERRORS.exists();
    const parentAbs = await this.docroot.ensureDir(to.slice(0, -1));
    // A folder must not be moved into itself (the kernel says EINVAL; give a clear message).
    if (src.stats.isDirectory() && (parentAbs + '/').startsWith(src.abs + '/'))
      throw ERRORS.badRequest('A folder cannot be moved into itself');
    const toAbs = join(parentAbs, to[to.length - 1] as string);
    await rename(src.abs, toAbs);
    this.listings.invalidate(dirname(src.abs));
    this.listings.invalidate(parentAbs);
    await this.changes?.moved(src.abs, toAbs);
  }

  /** Sum of file sizes under a resolved path, for `expected_size` in download specs. */
  async totalSize(abs: string, stats: Stats): Promise<number> {
    if (!stats.isDirectory()) return stats.size;
    let total = 0;
    const entries = await readdir(abs, { withFileTypes: true });
    // Bounded batches: sequential stats are slow for big folders, unbounded ones flood libuv.
    for (let i = 0; i < entries.length; i += 256) {
      const batch = entries.slice(i, i + 256).filter((e) => e.isDirectory() || e.isFile());
      const sizes = await Promise.all(
        batch.map(async (e) => {
          const child = join(abs, e.name);
          const childStats = await stat(child).catch(() => null);
          if (!childStats) return 0;
          return e.isDirectory() ? this.totalSize(child, childStats) : childStats.size;
        }),
      );
      total += sizes.reduce((a, b) => a + b, 0);
    }
    return total;
  }
}

export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
