import { describe, expect, it } from 'vitest';
import { joinNodePath, parseNodePath, toNodePath } from './node-path';

const api = { allowLeadingSlash: true };

// Cases Stryker found untested (docs/reliability.md): the refusal names the problem, not only
// its status, and joinNodePath had no test at all.
describe('node paths, refusals and joins', () => {
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

  it('joins a root and a relative path, refusing an escape from either', () => {
    expect(joinNodePath('/spaces/team', 'reports/q1.pdf')).toBe('/spaces/team/reports/q1.pdf');
    expect(joinNodePath('/', '/a/')).toBe('/a');
    expect(joinNodePath('/spaces/team/', '')).toBe('/spaces/team');
    expect(() => joinNodePath('/spaces/team', '../other')).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => joinNodePath('/spaces/a\\b', 'x')).toThrow(expect.objectContaining({ status: 400 }));
  });
});
