import { describe, expect, it } from 'vitest';
import { baseNameOf, joinSpacePath, parentOfSpacePath, spacePathSegments } from './space-path';

describe('space paths', () => {
  it('joins, splits and climbs without doubling slashes', () => {
    expect(joinSpacePath('/', 'a')).toBe('/a');
    expect(joinSpacePath('/a', 'b c')).toBe('/a/b c');
    expect(parentOfSpacePath('/a/b')).toBe('/a');
    expect(parentOfSpacePath('/a')).toBe('/');
    expect(parentOfSpacePath('/')).toBe('/');
    expect(spacePathSegments('/')).toEqual([]);
    expect(spacePathSegments('/a/é')).toEqual(['a', 'é']);
    expect(baseNameOf('/a/"q".txt')).toBe('"q".txt');
  });
});
