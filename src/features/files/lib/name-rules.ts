import { MAX_NAME_BYTES, nameProblem, utf8Length, wholePathProblem } from '../../../../contract/path-rules';

/**
 * Why a new file or folder name cannot be used, in words, before the server is asked; null when
 * it can. The rules are the node's own (contract/path-rules.ts); "/" is refused here because a
 * folder named "a/b" would otherwise become two folders.
 */
export function describeNameProblem(raw: string): string | null {
  const name = raw.trim().normalize('NFC');
  if (name === '') return 'Enter a name.';
  if (name.includes('/')) return 'A name cannot contain "/": it separates folders. Use another character, such as "-".';
  if (name === '.' || name === '..') return 'A name cannot be "." or "..".';
  const bytes = utf8Length(name);
  if (bytes > MAX_NAME_BYTES)
    return `This name is too long: ${bytes} bytes, and a name may have at most ${MAX_NAME_BYTES} (letters with accents and non-Latin scripts take 2 to 4 bytes each).`;
  switch (wholePathProblem(name) ?? nameProblem(name)) {
    case null:
      return null;
    case 'backslash':
      return 'A name cannot contain "\\".';
    case 'nul':
    case 'control':
      return 'A name cannot contain control characters (such as a line break or a tab).';
    case 'look-alike':
      return 'A name cannot contain a character that looks like "/" or "\\", or be a look-alike of "." or "..".';
    case 'reserved':
      return 'This name is kept by the storage server for itself. Choose another.';
    default:
      return 'This name cannot be used. Choose another.';
  }
}
