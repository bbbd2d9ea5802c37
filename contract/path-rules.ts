/**
 * What a path may be, decided once for the portal and the embedded node: the portal refuses with a
 * 400 naming the problem before it asks a node, so a user never sees a node's refusal of input the
 * portal let through. Pure and free of dependencies: transfer-node/ imports it too (and nothing
 * else of contract/), and the SPA can check names without loading zod.
 *
 * Each check returns a problem code, never a message: the node and the portal each word it in
 * their own error catalogue.
 */

/** The longest whole path a node is asked about, in UTF-16 characters as JSON carries it. */
export const MAX_PATH_CHARS = 4096;
/** NAME_MAX of ext4, xfs, btrfs and APFS, in bytes of UTF-8: a 100-character Chinese name is 300. */
export const MAX_NAME_BYTES = 255;
/** The embedded node's staging folder for partial uploads; no path may name it, in any case. */
export const RESERVED_NAME = '.courier-staging';

export type PathProblem =
  'too-long' | 'nul' | 'control' | 'backslash' | 'absolute' | 'drive' | 'dot-dot' | 'look-alike' | 'name-too-long' | 'reserved';

export type SplitPath = { ok: true; segments: string[] } | { ok: false; problem: PathProblem };

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
// Characters that render as a slash or backslash; NFKC maps some but not all of them.
const SLASH_LOOKALIKES = /[\u2044\u2215\u2216\u29f5\u29f8\u29f9\ufe68\uff0f\uff3c]/;

/**
 * Checks a whole path and splits it into NFC segments (no empty or `.` ones). `..` is a problem,
 * never resolved. `allowLeadingSlash` is false for upload file names, which must be relative.
 */
export function splitPath(input: string, options: { allowLeadingSlash: boolean }): SplitPath {
  const whole = wholePathProblem(input);
  if (whole) return { ok: false, problem: whole };
  const path = input.normalize('NFC');
  if (!options.allowLeadingSlash && path.startsWith('/')) return { ok: false, problem: 'absolute' };
  // A Windows-hosted node would read `C:` as a drive.
  if (/^[A-Za-z]:/.test(path)) return { ok: false, problem: 'drive' };
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') return { ok: false, problem: 'dot-dot' };
    const problem = nameProblem(segment);
    if (problem) return { ok: false, problem };
    segments.push(segment);
  }
  return { ok: true, segments };
}

/** Problems of the path as a whole string: its length and the characters no segment may hold. */
export function wholePathProblem(input: string): PathProblem | null {
  if (input.length > MAX_PATH_CHARS) return 'too-long';
  if (input.includes('\u0000')) return 'nul';
  if (CONTROL_CHARS.test(input)) return 'control';
  // Windows-hosted nodes treat the backslash as a separator, so "a\..\b" would climb.
  if (input.includes('\\')) return 'backslash';
  return null;
}

/** Problems of one file or folder name (already NFC): look-alike separators, length, the reserved name. */
export function nameProblem(segment: string): PathProblem | null {
  const compat = segment.normalize('NFKC');
  if (compat === '..' || compat === '.' || compat.includes('/') || compat.includes('\\') || SLASH_LOOKALIKES.test(segment))
    return 'look-alike';
  if (utf8Length(segment) > MAX_NAME_BYTES) return 'name-too-long';
  if (segment.toLowerCase() === RESERVED_NAME) return 'reserved';
  return null;
}

/** UTF-8 byte length without Buffer, so the SPA can call it too. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
