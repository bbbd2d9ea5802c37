/**
 * The entries of a download zip: files and folders under the authorized items, named relative to
 * each item's parent. Symbolic links and special files are left out: following a link could leave
 * the authorized path even when it stays inside the docroot.
 *
 * A name a zip cannot carry faithfully is skipped, never fatal (one such file used to fail the
 * whole zip with 500): its path and the reason go into `SKIPPED_LIST_NAME` at the top of the zip
 * and the count into the `X-Courier-Skipped-Files` header (README, "Odd file names").
 */
import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { NodeError } from '../errors';
import { entryPath } from '../storage/dir-entries';
import type { Docroot } from '../storage/docroot';
import type { DownloadItem } from './gateway-spec';

const STAT_BATCH = 256;
export const SKIPPED_LIST_NAME = 'courier-skipped-files.txt';
// The zip format stores a name's length in 16 bits.
const MAX_ZIP_NAME_BYTES = 0xffff;

// A file with several names may be the same file as one outside the docroot (README, "Links").
const HARD_LINK_REASON = 'the file has other hard links, which may lie outside what this download covers';

export function hardLinkRefused(nodePath: string): NodeError {
  return new NodeError(403, `${nodePath} is not served: ${HARD_LINK_REASON}`, 'hard_link');
}

export interface ZipEntry {
  name: string;
  abs: string | null; // null for a folder or a generated entry
  size: number;
  mtime: Date;
  mode: number;
  /** Bytes of a generated entry (the list of skipped files). */
  content?: Buffer;
}

export interface SkippedEntry {
  name: string;
  reason: string;
}

export interface ZipPlan {
  entries: ZipEntry[];
  skipped: SkippedEntry[];
}

export async function collectZipEntries(docroot: Docroot, items: readonly DownloadItem[], maxEntries: number): Promise<ZipPlan> {
  const entries = new BoundedList(maxEntries);
  const skipped: SkippedEntry[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const name = uniqueName(item.nodePath === '/' ? 'docroot' : basename(item.abs), seen);
    const problem = zipNameProblem(name);
    if (problem) skipped.push({ name, reason: problem });
    else if (item.stats.isFile() && item.stats.nlink > 1) skipped.push({ name, reason: HARD_LINK_REASON });
    else if (item.stats.isDirectory()) await walk(docroot, item.abs, name, item.stats, entries, skipped);
    else if (item.stats.isFile()) entries.push(fileEntry(name, item.abs, item.stats));
  }
  if (skipped.length > 0) {
    const content = Buffer.from(skippedList(skipped), 'utf8');
    entries.push({
      name: uniqueName(SKIPPED_LIST_NAME, seen),
      abs: null,
      size: content.length,
      mtime: new Date(),
      mode: 0o100644,
      content,
    });
  }
  return { entries: entries.items, skipped };
}

/** Why `name` (a path inside the zip) cannot be carried as it is, or null when it can. */
export function zipNameProblem(name: string): string | null {
  // Unzip tools on Windows, and yazl itself, read a backslash as a folder separator: `a\..\..\x`
  // would become a path that climbs out of the extraction folder.
  if (name.includes('\\')) return 'the name contains a backslash, which unzip tools read as a folder separator';
  if (/^[A-Za-z]:/.test(name)) return 'the name starts like a Windows drive (C:), which unzip tools read as an absolute path';
  if (Buffer.byteLength(name) > MAX_ZIP_NAME_BYTES) return 'the path is longer than a zip entry name can be';
  return null;
}

function skippedList(skipped: readonly SkippedEntry[]): string {
  const lines = skipped.map((s) => `${JSON.stringify(s.name)}: ${s.reason}`);
  return `These items were left out of this zip; download them on their own or rename them.\n\n${lines.join('\n')}\n`;
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

async function walk(docroot: Docroot, abs: string, name: string, stats: Stats, out: BoundedList, skipped: SkippedEntry[]): Promise<void> {
  out.push({ name, abs: null, size: 0, mtime: stats.mtime, mode: stats.mode });
  const dirents = (await docroot.list(abs)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Stats in bounded batches: one at a time is slow for big folders, all at once floods libuv.
  for (let i = 0; i < dirents.length; i += STAT_BATCH) {
    const batch = dirents.slice(i, i + STAT_BATCH);
    const stats = await Promise.all(batch.map((d) => lstat(entryPath(abs, d)).catch(() => null)));
    for (let j = 0; j < batch.length; j++) {
      const dirent = batch[j] as (typeof batch)[number];
      const childStats = stats[j];
      const childName = `${name}/${dirent.name}`;
      if (!childStats || !(childStats.isDirectory() || childStats.isFile())) continue;
      const problem = dirent.rawName
        ? 'the name on disk is not valid UTF-8, so no zip name can reproduce it'
        : childStats.isFile() && childStats.nlink > 1
          ? HARD_LINK_REASON
          : zipNameProblem(childName);
      if (problem) {
        skipped.push({ name: childName, reason: problem });
        continue;
      }
      const childAbs = join(abs, dirent.name);
      if (childStats.isDirectory()) await walk(docroot, childAbs, childName, childStats, out, skipped);
      else out.push(fileEntry(childName, childAbs, childStats));
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
