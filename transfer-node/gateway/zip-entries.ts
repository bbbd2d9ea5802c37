/**
 * The entries of a download zip: files and folders under the authorized items, named relative to
 * each item's parent. Symbolic links and special files are left out: following a link could leave
 * the authorized path even when it stays inside the docroot.
 */
import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { NodeError } from '../errors';
import type { Docroot } from '../storage/docroot';
import type { DownloadItem } from './gateway-spec';

const STAT_BATCH = 256;

export interface ZipEntry {
  name: string;
  abs: string | null; // null for a folder
  size: number;
  mtime: Date;
  mode: number;
}

export async function collectZipEntries(docroot: Docroot, items: readonly DownloadItem[], maxEntries: number): Promise<ZipEntry[]> {
  const entries = new BoundedList(maxEntries);
  const seen = new Set<string>();
  for (const item of items) {
    const name = uniqueName(item.nodePath === '/' ? 'docroot' : basename(item.abs), seen);
    if (item.stats.isDirectory()) await walk(docroot, item.abs, name, item.stats, entries);
    else if (item.stats.isFile()) entries.push(fileEntry(name, item.abs, item.stats));
  }
  return entries.items;
}

/** Stops the walk as soon as the zip would be too big, instead of listing a million files first. */
class BoundedList {
  readonly items: ZipEntry[] = [];
  constructor(private readonly max: number) {}
  push(entry: ZipEntry): void {
    if (this.items.length >= this.max) {
      throw new NodeError(413, `Too many entries for one zip (more than ${this.max}): download sub-folders separately`, 'zip_too_large');
    }
    this.items.push(entry);
  }
}

async function walk(docroot: Docroot, abs: string, name: string, stats: Stats, out: BoundedList): Promise<void> {
  out.push({ name, abs: null, size: 0, mtime: stats.mtime, mode: stats.mode });
  const dirents = (await docroot.list(abs)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Stats in bounded batches: one at a time is slow for big folders, all at once floods libuv.
  for (let i = 0; i < dirents.length; i += STAT_BATCH) {
    const batch = dirents.slice(i, i + STAT_BATCH);
    const stats = await Promise.all(batch.map((d) => lstat(join(abs, d.name)).catch(() => null)));
    for (let j = 0; j < batch.length; j++) {
      const childStats = stats[j];
      const childName = `${name}/${(batch[j] as { name: string }).name}`;
      const childAbs = join(abs, (batch[j] as { name: string }).name);
      if (!childStats) continue;
      if (childStats.isDirectory()) await walk(docroot, childAbs, childName, childStats, out);
      else if (childStats.isFile()) out.push(fileEntry(childName, childAbs, childStats));
    }
  }
}

function fileEntry(name: string, abs: string, stats: Stats): ZipEntry {
  return { name, abs, size: stats.size, mtime: stats.mtime, mode: stats.mode };
}

/** Two items with the same base name (from different folders) get `name (2)`, not one overwriting the other. */
function uniqueName(name: string, seen: Set<string>): string {
  let candidate = name;
  for (let i = 2; seen.has(candidate); i++) candidate = `${name} (${i})`;
  seen.add(candidate);
  return candidate;
}
