import { describe, expect, it } from 'vitest';
import { baseName, joinSpacePath, parentOf, spacePathSegments } from './space-path';

describe('space paths', () => {
  it('joins, splits and climbs without doubling slashes', () => {
    expect(joinSpacePath('/', 'a')).toBe('/a');
    expect(joinSpacePath('/a', 'b c')).toBe('/a/b c');
    expect(parentOf('/a/b')).toBe('/a');
    expect(parentOf('/a')).toBe('/');
    expect(parentOf('/')).toBe('/');
    expect(spacePathSegments('/')).toEqual([]);
    expect(spacePathSegments('/a/é')).toEqual(['a', 'é']);
    expect(baseName('/a/"q".txt')).toBe('"q".txt');
  });
});
