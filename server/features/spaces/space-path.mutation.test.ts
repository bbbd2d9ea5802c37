import { describe, expect, it } from 'vitest';
import { fromNodePath, normalizeSpacePath, spaceToNodePath, validateName } from './space-path';

// The portal's wording of the shared path rules, each refusal by its message (docs/reliability.md,
// "Mutation testing").
const invalidPath = (message: string) => expect.objectContaining({ statusCode: 400, code: 'INVALID_PATH', message });
const invalidName = (message: string) => expect.objectContaining({ statusCode: 400, code: 'INVALID_NAME', message });

describe('normalizeSpacePath', () => {
  it('writes /a/b for any spelling, NFC, and / for the root', () => {
    expect(normalizeSpacePath('')).toBe('/');
    expect(normalizeSpacePath('/')).toBe('/');
    expect(normalizeSpacePath('a//./b/')).toBe('/a/b');
    expect(normalizeSpacePath('/e\u0301t\u00e9')).toBe('/\u00e9t\u00e9');
  });

  it('keeps a leading drive letter as a name under the space root, only at the start', () => {
    expect(normalizeSpacePath('C:/x')).toBe('/C:/x');
    expect(normalizeSpacePath('c:x')).toBe('/c:x');
    expect(normalizeSpacePath('a/C:/x')).toBe('/a/C:/x');
  });

  it.each([
    ['a\u0000b', 'contains a NUL character'],
    ['a\u0007b', 'contains a control character'],
    ['a\\b', 'contains a backslash'],
    ['a/../b', 'may not contain ".."'],
    ['a/\u2215', 'contains a character that looks like "/", "\\" or ".." (a look-alike slash or dot)'],
    ['x'.repeat(256), 'has a name longer than 255 bytes (UTF-8)'],
    ['/.courier-staging/a', 'uses a name the transfer node keeps for itself'],
    ['a/'.repeat(2049), "is longer than 4096 characters once placed in its space's folder on the node"],
  ])('refuses %j: it %s', (input, why) => {
    expect(() => normalizeSpacePath(input)).toThrow(invalidPath(`The path ${JSON.stringify(input.slice(0, 200))} ${why}.`));
  });
});

describe('validateName', () => {
  it('trims and normalizes a good name', () => {
    expect(validateName('  Report e\u0301.pdf ')).toBe('Report \u00e9.pdf');
    expect(validateName('...')).toBe('...');
  });

  it.each(['', '   ', '.', '..', ' .. ', 'a/b'])('refuses %j with the general reason', (name) => {
    expect(() => validateName(name)).toThrow(
      invalidName(
        `${JSON.stringify(name)} is not a valid name: it may not be empty, "." or "..", or contain "/", "\\" or control characters.`,
      ),
    );
  });

  it.each([
    ['a\\b', 'contains a backslash'],
    ['a\u0001b', 'contains a control character'],
    ['a\u0000b', 'contains a NUL character'],
    ['a\u2044b', 'contains a character that looks like "/", "\\" or ".." (a look-alike slash or dot)'],
    ['\uff0e\uff0e', 'contains a character that looks like "/", "\\" or ".." (a look-alike slash or dot)'],
    ['\u00e9'.repeat(128), 'has a name longer than 255 bytes (UTF-8)'],
    ['.COURIER-STAGING', 'uses a name the transfer node keeps for itself'],
  ])('refuses %j: it %s', (name, why) => {
    expect(() => validateName(name)).toThrow(invalidName(`${JSON.stringify(name)} is not a valid name: it ${why}.`));
  });
});

describe('spaceToNodePath and fromNodePath', () => {
  it("joins a space path to the space's root, whatever its trailing slashes", () => {
    expect(spaceToNodePath('/spaces/fin', '/')).toBe('/spaces/fin');
    expect(spaceToNodePath('/spaces/fin//', '/a/b')).toBe('/spaces/fin/a/b');
    expect(spaceToNodePath('/', '/')).toBe('/');
    expect(spaceToNodePath('/', '/a')).toBe('/a');
    expect(spaceToNodePath('', '/a')).toBe('/a');
  });

  it('refuses a node path over the limit under a deep root, and accepts one at it', () => {
    const root = `/${'r'.repeat(96)}`;
    const fits = `/${'a'.repeat(4096 - root.length - 1)}`;
    expect(spaceToNodePath(root, fits)).toHaveLength(4096);
    expect(() => spaceToNodePath(root, `${fits}b`)).toThrow(
      invalidPath(
        `The path ${JSON.stringify(`${fits}b`.slice(0, 200))} is longer than 4096 characters once placed in its space's folder on the node.`,
      ),
    );
  });

  it('finds the space path of a node path under the root, and nothing outside it', () => {
    expect(fromNodePath('/spaces/fin', '/spaces/fin')).toBe('/');
    expect(fromNodePath('/spaces/fin/', '/spaces/fin/a/b')).toBe('/a/b');
    expect(fromNodePath('/spaces/fin', '/spaces/finance/a')).toBeNull();
    expect(fromNodePath('/spaces/fin', '/spaces')).toBeNull();
    expect(fromNodePath('/', '/')).toBe('/');
    expect(fromNodePath('/', '/a')).toBe('/a');
    expect(fromNodePath('', '/a')).toBe('/a');
  });
});
