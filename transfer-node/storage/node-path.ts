/**
 * Lexical validation of paths that arrive from the outside (Node API bodies, transfer specs,
 * multipart filenames). Everything here is pure; `docroot.ts` then resolves the segments on disk
 * and checks symlinks. A path is refused rather than "repaired": silently rewriting `a\..\b` into
 * something else would make the caller believe a different file was touched.
 */
import { RESERVED_NAME, splitPath, type PathProblem } from '../../contract/path-rules';
import { ERRORS, type NodeError } from '../errors';

/** Staging folder for partial uploads, inside the docroot so the final rename never crosses devices. */
export const STAGING_DIR = RESERVED_NAME;
/** The staging folder's one lasting folder: upload sessions, which outlive a restart (docs/http-gateway.md §11.5). */
export const STAGED_SESSIONS_DIR = 'sessions';

export interface ParseOptions {
  /** Node API paths are docroot-relative with a leading `/`; upload filenames must be relative. */
  allowLeadingSlash: boolean;
}

// The rules are the portal's too (contract/path-rules.ts); the wording is the node's.
const REFUSALS: Record<PathProblem, () => NodeError> = {
  'too-long': () => ERRORS.badRequest('Path is too long'),
  nul: () => ERRORS.badRequest('Path contains a NUL byte'),
  control: () => ERRORS.badRequest('Path contains control characters'),
  backslash: () => ERRORS.badRequest('Path contains a backslash'),
  absolute: () => ERRORS.outsideDocroot(),
  drive: () => ERRORS.outsideDocroot(),
  'dot-dot': () => ERRORS.outsideDocroot(),
  'look-alike': () => ERRORS.forbidden('Path contains a character that looks like a path separator or dot-dot'),
  'name-too-long': () => ERRORS.badRequest('Path segment is too long'),
  reserved: () => ERRORS.forbidden('Path is reserved by the node'),
};

/** Returns the NFC-normalized segments of `input`, or throws a NodeError naming the problem. */
export function parseNodePath(input: unknown, options: ParseOptions): string[] {
  if (typeof input !== 'string') throw ERRORS.badRequest('Path must be a string');
  const split = splitPath(input, options);
  if (!split.ok) throw REFUSALS[split.problem]();
  return split.segments;
}

/** The canonical node path of `segments`: leading `/`, no trailing `/`, docroot is `/`. */
export function toNodePath(segments: readonly string[]): string {
  return '/' + segments.join('/');
}

/** True when `path` equals `root` or lies below it (both canonical). */
export function isWithin(root: string, path: string): boolean {
  return root === '/' || path === root || path.startsWith(root + '/');
}
