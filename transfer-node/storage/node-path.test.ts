import { describe, expect, it } from 'vitest';
import { isWithin, parseNodePath, toNodePath } from './node-path';

const api = { allowLeadingSlash: true };
const rel = { allowLeadingSlash: false };

describe('parseNodePath', () => {
  it('normalizes separators, dots and Unicode to NFC', () => {
    expect(parseNodePath('/a//b/./c/', api)).toEqual(['a', 'b', 'c']);
    expect(toNodePath(parseNodePath('/', api))).toBe('/');
    expect(parseNodePath('Cafe\u0301', rel)).toEqual(['Caf\u00e9']);
    expect(parseNodePath('été "q".txt', rel)).toEqual(['été "q".txt']);
  });

  it.each([
    ['../etc/passwd', 403],
    ['a/../../b', 403],
    ['a/..', 403],
    ['C:/Windows', 403],
    ['a\u0000b', 400],
    ['a\\..\\b', 400],
    ['a\nb', 400],
    ['\uff0e\uff0e/x', 403],
    ['a\u2215b', 403],
    ['a\uff0fb', 403],
    ['.courier-staging/x', 403],
    ['x'.repeat(256), 400],
  ])('refuses %j with %i', (input, status) => {
    expect(() => parseNodePath(input, api)).toThrow(expect.objectContaining({ status }));
  });

  it('refuses absolute paths where a relative one is expected', () => {
    expect(() => parseNodePath('/etc/passwd', rel)).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('tells containment by segments, not prefixes', () => {
    expect(isWithin('/a', '/a/b')).toBe(true);
    expect(isWithin('/a', '/ab')).toBe(false);
    expect(isWithin('/', '/anything')).toBe(true);
  });
});
