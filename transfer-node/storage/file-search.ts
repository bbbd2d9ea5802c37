/**
 * `POST /files/search` (docs/node-api.md §3): the entries below a folder that match the OAS's
 * `files-search-filters`, walked depth-first without following links (a link is listed as one, so
 * a search never leaves the folder it was given), sorted and paged as browse is.
 */
import { lstat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { ERRORS } from '../errors';
import { entryPath } from './dir-entries';
import type { BrowseEntry, FileService } from './file-service';
import type { BrowseSort } from './folder-listing';
import { toNodePath } from './node-path';

// A bound on one request's work: a search that would look at more entries answers 400 and asks for
// a narrower path or depth_max, rather than holding the node's disk for minutes.
export const MAX_SEARCH_VISITS = 100_000;

export interface SearchFilters {
  types?: Array<'file' | 'directory' | 'symbolic_link'>;
  paths?: string[];
  basenames?: string[];
  size_min?: number;
  size_max?: number;
  mtime_min?: string;
  mtime_max?: string;
  depth_min?: number;
  depth_max?: number;
}

export interface SearchRequest {
  path: string;
  skip: number;
  count: number;
  sort: BrowseSort;
  caseSensitive: boolean;
  filters: SearchFilters;
}

interface Found {
  entry: BrowseEntry;
  mtimeMs: number;
}

export async function searchFiles(files: FileService, request: SearchRequest) {
  const segments = files.segments(request.path);
  const root = await files.docroot.resolve(segments);
  if (!root.stats) throw ERRORS.notFound();
  if (!root.stats.isDirectory()) throw ERRORS.notAFolder();
  const match = matcher(request.filters, request.caseSensitive);
  const found: Found[] = [];
  let visits = 0;
  const walk = async (abs: string, dirSegments: string[], depth: number): Promise<void> => {
    const entries = await files.docroot.list(abs);
    for (const dirent of entries) {
      if (++visits > MAX_SEARCH_VISITS)
        throw ERRORS.badRequest(`The search looks at more than ${MAX_SEARCH_VISITS} entries: give a narrower path or depth_max`);
      // A name that is not UTF-8 cannot be named in a path (docs/node-api.md §3): browse shows it, search skips it.
      if (dirent.rawName) continue;
      const childSegments = [...dirSegments, dirent.name];
      const stats = await lstat(entryPath(abs, dirent)).catch(() => null);
      if (!stats) continue;
      const type = stats.isSymbolicLink() ? 'symbolic_link' : stats.isDirectory() ? 'directory' : 'file';
      const entry = files.entryOf(toNodePath(childSegments), stats, type);
      if (match(entry, stats, depth)) found.push({ entry, mtimeMs: stats.mtimeMs });
      const maxDepth = request.filters.depth_max;
      if (type === 'directory' && (maxDepth === undefined || depth < maxDepth))
        await walk(entryPath(abs, dirent) as string, childSegments, depth + 1);
    }
  };
  await walk(root.abs, segments, 1);
  sortFound(found, request.sort, request.caseSensitive);
  const items = found.slice(request.skip, request.skip + request.count).map((f) => f.entry);
  return {
    items,
    item_count: items.length,
    total_count: found.length,
    parameters: {
      path: root.nodePath,
      skip: request.skip,
      count: request.count,
      ...(request.filters.depth_min === undefined ? {} : { depth_min: request.filters.depth_min }),
      ...(request.filters.depth_max === undefined ? {} : { depth_max: request.filters.depth_max }),
    },
  };
}

function matcher(filters: SearchFilters, caseSensitive: boolean) {
  const flags = caseSensitive ? '' : 'i';
  const paths = filters.paths?.map((g) => globToRegExp(g, flags));
  const basenames = filters.basenames?.map((g) => globToRegExp(g, flags));
  const mtimeMin = filters.mtime_min === undefined ? undefined : parseTime(filters.mtime_min, 'mtime_min');
  const mtimeMax = filters.mtime_max === undefined ? undefined : parseTime(filters.mtime_max, 'mtime_max');
  // The OAS: a size bound restricts the results to files.
  const filesOnly = filters.size_min !== undefined || filters.size_max !== undefined;
  return (entry: BrowseEntry, stats: Stats, depth: number): boolean => {
    if (filters.depth_min !== undefined && depth < filters.depth_min) return false;
    if (filters.types && !filters.types.includes(entry.type)) return false;
    if (filesOnly && entry.type !== 'file') return false;
    if (filters.size_min !== undefined && entry.size < filters.size_min) return false;
    // "less than size_max" (the OAS), unlike size_min's "greater than or equal".
    if (filters.size_max !== undefined && entry.size >= filters.size_max) return false;
    if (mtimeMin !== undefined && stats.mtimeMs < mtimeMin) return false;
    if (mtimeMax !== undefined && stats.mtimeMs > mtimeMax) return false;
    if (paths && !paths.some((re) => re.test(entry.path))) return false;
    if (basenames && !basenames.some((re) => re.test(entry.basename))) return false;
    return true;
  };
}

/** `*` any characters (slashes included, as the OAS's `*.txt` path example needs), `?` one; the rest literal. */
export function globToRegExp(glob: string, flags: string): RegExp {
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, flags + 's');
}

/** The OAS: "2011-01-31T12:59:59Z", T or space in the middle, Z optional (read as UTC). */
function parseTime(text: string, field: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})Z?$/.exec(text);
  const ms = m ? Date.parse(`${m[1]}T${m[2]}Z`) : NaN;
  if (Number.isNaN(ms)) throw ERRORS.badRequest(`"${field}" must be a time such as 2011-01-31T12:59:59Z`);
  return ms;
}

function sortFound(found: Found[], sort: BrowseSort, caseSensitive: boolean): void {
  const key = (f: Found) => (caseSensitive ? f.entry.path : f.entry.path.toLowerCase());
  const byPath = (a: Found, b: Found) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  const sign = sort.endsWith('_d') ? -1 : 1;
  if (sort === 'path') found.sort(byPath);
  else if (sort === 'type') found.sort((a, b) => a.entry.type.localeCompare(b.entry.type) || byPath(a, b));
  else if (sort.startsWith('size')) found.sort((a, b) => sign * (a.entry.size - b.entry.size) || byPath(a, b));
  else found.sort((a, b) => sign * (a.mtimeMs - b.mtimeMs) || byPath(a, b));
}
