/**
 * Lexical validation of paths that arrive from the outside (Node API bodies, transfer specs,
 * multipart filenames). Everything here is pure; `docroot.ts` then resolves the segments on disk
 * and checks symlinks. A path is refused rather than "repaired": silently rewriting `a\..\b` into
 * something else would make the caller believe a different file was touched.
 */
import { ERRORS } from '../errors';

/** Staging folder for partial uploads, inside the docroot so the final rename never crosses devices. */
export const STAGING_DIR = '.courier-staging';

const MAX_PATH_CHARS = 4096;
// 255 bytes is the NAME_MAX of ext4, xfs, btrfs and APFS.
const MAX_SEGMENT_BYTES = 255;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
// Characters that render as a slash or backslash; NFKC maps some but not all of them.
const SLASH_LOOKALIKES = /[\u2044\u2215\u2216\u29f5\u29f8\u29f9\ufe68\uff0f\uff3c]/;

export interface ParseOptions {
  /** Node API paths are docroot-relative with a leading `/`; upload filenames must be relative. */
  allowLeadingSlash: boolean;
}

/** Returns the NFC-normalized segments of `input`, or throws a NodeError naming the problem. */
export function parseNodePath(input: unknown, options: ParseOptions): string[] {
  if (typeof input !== 'string') throw ERRORS.badRequest('Path must be a string');
  if (input.length > MAX_PATH_CHARS) throw ERRORS.badRequest('Path is too long');
  if (input.includes('\u0000')) throw ERRORS.badRequest('Path contains a NUL byte');
  if (CONTROL_CHARS.test(input)) throw ERRORS.badRequest('Path contains control characters');
  if (input.includes('\\')) throw ERRORS.badRequest('Path contains a backslash');
  const path = input.normalize('NFC');
  if (!options.allowLeadingSlash && path.startsWith('/')) throw ERRORS.outsideDocroot();
  if (/^[A-Za-z]:/.test(path)) throw ERRORS.outsideDocroot();
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') throw ERRORS.outsideDocroot();
    checkSegment(segment);
    segments.push(segment);
  }
  return segments;
}

function checkSegment(segment: string): void {
  const compat = segment.normalize('NFKC');
  if (compat === '..' || compat === '.' || compat.includes('/') || compat.includes('\\') || SLASH_LOOKALIKES.test(segment)) {
    throw ERRORS.forbidden('Path contains a character that looks like a path separator or dot-dot');
  }
  if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) throw ERRORS.badRequest('Path segment is too long');
  if (segment.toLowerCase() === STAGING_DIR) throw ERRORS.forbidden('Path is reserved by the node');
}

/** The canonical node path of `segments`: leading `/`, no trailing `/`, docroot is `/`. */
export function toNodePath(segments: readonly string[]): string {
  return '/' + segments.join('/');
}

/** Joins a validated root with a validated relative path. */
export function joinNodePath(root: string, relative: string): string {
  const segments = [...parseNodePath(root, { allowLeadingSlash: true }), ...parseNodePath(relative, { allowLeadingSlash: true })];
  return toNodePath(segments);
}

/** True when `path` equals `root` or lies below it (both canonical). */
export function isWithin(root: string, path: string): boolean {
  return root === '/' || path === root || path.startsWith(root + '/');
}
