import { MAX_PATH_CHARS, MAX_NAME_BYTES, nameProblem, splitPath, wholePathProblem, type PathProblem } from '../../../contract/path-rules';
import { ERRORS } from '../../errors';

// The node's rules (contract/path-rules.ts), in words a user can act on.
const WHY: Record<PathProblem, string> = {
  'too-long': `is longer than ${MAX_PATH_CHARS} characters once placed in its space's folder on the node`,
  nul: 'contains a NUL character',
  control: 'contains a control character',
  backslash: 'contains a backslash',
  absolute: 'must be relative',
  drive: 'starts with a drive letter',
  'dot-dot': 'may not contain ".."',
  'look-alike': 'contains a character that looks like "/", "\\" or ".." (a look-alike slash or dot)',
  'name-too-long': `has a name longer than ${MAX_NAME_BYTES} bytes (UTF-8)`,
  reserved: 'uses a name the transfer node keeps for itself',
};

/**
 * Normalizes a space-relative path to `/a/b` (NFC, no empty or `.` segments) under the node's own
 * rules. `..` is refused rather than resolved, so a request can never name anything outside the
 * space's root. A leading drive letter is no problem here: the node sees it after the space's root.
 */
export function normalizeSpacePath(input: string): string {
  const split = splitPath(input.replace(/^[A-Za-z]:/, '/$&'), { allowLeadingSlash: true });
  if (!split.ok) throw ERRORS.InvalidPath(input, WHY[split.problem]);
  return `/${split.segments.join('/')}`;
}

/** A file or folder name (no separators); used for renames and new folders. */
export function validateName(name: string): string {
  const normalized = name.normalize('NFC').trim();
  if (normalized === '' || normalized === '.' || normalized === '..' || normalized.includes('/')) throw ERRORS.InvalidName(name);
  const problem = wholePathProblem(normalized) ?? nameProblem(normalized);
  if (problem) throw ERRORS.InvalidName(name, WHY[problem]);
  return normalized;
}

/**
 * The node path of a normalized space path: the space's root joined with it. A space path that is
 * fine alone can be too long for the node under a deep root, so the whole node path is checked.
 */
export function spaceToNodePath(rootPath: string, spacePath: string): string {
  const root = rootPath.replace(/\/+$/, '');
  const nodePath = spacePath === '/' ? root || '/' : `${root}${spacePath}`;
  if (nodePath.length > MAX_PATH_CHARS) throw ERRORS.InvalidPath(spacePath, WHY['too-long']);
  return nodePath;
}

/** The space path of a node path under `rootPath`, or null when it is outside (never shown). */
export function fromNodePath(rootPath: string, nodePath: string): string | null {
  const root = rootPath.replace(/\/+$/, '');
  if (nodePath === root || (root === '' && nodePath === '/')) return '/';
  if (!nodePath.startsWith(`${root}/`)) return null;
  return nodePath.slice(root.length);
}
