/**
 * Sorted listings of folders, cached per folder so that paging through a 100,000-entry folder
 * does not re-read it for every page (issue 3). A cached listing holds names and types only; sizes
 * and times are read for the requested page, so they are never stale. The cache is dropped when
 * the folder's mtime changes (entries added/removed by anyone) or when this node writes into it.
 */
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { entryPath, type DirEntry } from './dir-entries';
import type { Docroot } from './docroot';

export type BrowseSort = 'path' | 'type' | 'size_a' | 'size_d' | 'mtime_a' | 'mtime_d';

export interface ListedEntry {
  name: string;
  type: 'file' | 'directory' | 'symbolic_link';
  /** Set when the name on disk is not UTF-8: `name` then does not reach the file, these bytes do. */
  rawName?: Buffer;
}

interface CachedListing {
  mtimeMs: number;
  entries: ListedEntry[];
  sorted: Map<string, ListedEntry[]>;
  stats?: Map<ListedEntry, Stats | null>;
}

// Enough folders for several people paging at once, small enough to bound memory (~100 B/entry).
const MAX_CACHED_FOLDERS = 64;

export class FolderListings {
  private readonly cache = new Map<string, CachedListing>();

  constructor(private readonly docroot: Docroot) {}

  invalidate(absDir: string): void {
    this.cache.delete(absDir);
  }

  async sorted(absDir: string, dirStats: Stats, sort: BrowseSort, caseSensitive: boolean): Promise<ListedEntry[]> {
    let listing = this.cache.get(absDir);
    if (!listing || listing.mtimeMs !== dirStats.mtimeMs) {
      const dirents = await this.docroot.list(absDir);
      listing = { mtimeMs: dirStats.mtimeMs, entries: dirents.map(toListed), sorted: new Map() };
      this.cache.delete(absDir);
      if (this.cache.size >= MAX_CACHED_FOLDERS) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(absDir, listing);
    }
    const key = `${sort}:${caseSensitive}`;
    let result = listing.sorted.get(key);
    if (!result) {
      result = await this.sort(absDir, listing, sort, caseSensitive);
      listing.sorted.set(key, result);
    }
    return result;
  }

  private async sort(absDir: string, listing: CachedListing, sort: BrowseSort, caseSensitive: boolean): Promise<ListedEntry[]> {
    const byName = nameComparator(listing.entries, caseSensitive);
    const entries = [...listing.entries];
    if (sort === 'path') return sortByName(entries, caseSensitive);
    if (sort === 'type') return entries.sort((a, b) => a.type.localeCompare(b.type) || byName(a, b));
    // Size and time orders need every entry's stats once; they are kept with the listing.
    listing.stats ??= await statAll(absDir, entries);
    const stats = listing.stats;
    const field = sort.startsWith('size') ? 'size' : 'mtimeMs';
    const sign = sort.endsWith('_d') ? -1 : 1;
    // Folders report size 0 in browse entries, so they sort as 0 too.
    const value = (e: ListedEntry) => (field === 'size' && e.type !== 'file' ? 0 : (stats.get(e)?.[field] ?? 0));
    return entries.sort((a, b) => sign * (value(a) - value(b)) || byName(a, b));
  }
}

function toListed(entry: DirEntry): ListedEntry {
  const type = entry.type === 'other' ? 'file' : entry.type;
  return entry.rawName ? { name: entry.name, type, rawName: entry.rawName } : { name: entry.name, type };
}

/** Decorate-sort-undecorate: each key is lower-cased once, not twice per comparison. */
function sortByName(entries: ListedEntry[], caseSensitive: boolean): ListedEntry[] {
  const decorated = entries.map((e) => ({ e, k: caseSensitive ? e.name : e.name.toLowerCase() }));
  decorated.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.e.name < b.e.name ? -1 : a.e.name > b.e.name ? 1 : 0));
  return decorated.map((d) => d.e);
}

/** Lower-cased keys are computed once per listing, not twice per comparison (100,000 entries). */
function nameComparator(entries: readonly ListedEntry[], caseSensitive: boolean) {
  const exact = (a: ListedEntry, b: ListedEntry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  if (caseSensitive) return exact;
  const keys = new Map(entries.map((e) => [e, e.name.toLowerCase()]));
  return (a: ListedEntry, b: ListedEntry) => {
    const x = keys.get(a) as string;
    const y = keys.get(b) as string;
    return x < y ? -1 : x > y ? 1 : exact(a, b);
  };
}

async function statAll(absDir: string, entries: ListedEntry[]): Promise<Map<ListedEntry, Stats | null>> {
  // Keyed by entry: two names that are not UTF-8 can decode to the same text.
  const result = new Map<ListedEntry, Stats | null>();
  // Bounded concurrency: 100,000 parallel stats would flood the libuv queue and starve transfers.
  const BATCH = 1000;
  for (let i = 0; i < entries.length; i += BATCH) {
    const batch = entries.slice(i, i + BATCH);
    const stats = await Promise.all(batch.map((e) => stat(entryPath(absDir, e)).catch(() => null)));
    batch.forEach((e, j) => result.set(e, stats[j] ?? null));
  }
  return result;
}
