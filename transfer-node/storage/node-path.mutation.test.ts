import { describe, expect, it } from 'vitest';
import { parseNodePath, toNodePath } from './node-path';

const api = { allowLeadingSlash: true };

// Cases Stryker found untested (docs/reliability.md): the refusal names the problem, not only
// its status.
describe('node paths, refusals', () => {
  it.each([
    ['a\u0000b', 'Path contains a NUL byte'],
    ['a\nb', 'Path contains control characters'],
    ['a\\b', 'Path contains a backslash'],
    ['a\u2215b', 'Path contains a character that looks like a path separator or dot-dot'],
    ['x'.repeat(256), 'Path segment is too long'],
    ['.courier-staging/x', 'Path is reserved by the node'],
    ['../x', 'Path is outside the docroot'],
    ['a/'.repeat(2049), 'Path is too long'],
  ])('refuses %j saying %j', (input, message) => {
    expect(() => parseNodePath(input, api)).toThrow(expect.objectContaining({ message }));
  });

  it('refuses a path that is not a string with a 400', () => {
    expect(() => parseNodePath(42, api)).toThrow(expect.objectContaining({ status: 400, message: 'Path must be a string' }));
    expect(() => parseNodePath(undefined, api)).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('writes canonical paths with / between segments', () => {
    expect(toNodePath(['a', 'b c'])).toBe('/a/b c');
    expect(toNodePath([])).toBe('/');
  });
});
