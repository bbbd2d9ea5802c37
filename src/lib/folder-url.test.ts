import { describe, expect, it } from 'vitest';
import { folderUrl, parseFolderSplat } from './folder-url';

describe('folder URLs', () => {
  it('encodes each segment and parses the decoded splat back', () => {
    expect(folderUrl('s1', '/')).toBe('/files/s1');
    expect(folderUrl('s1', '/a b/50% #1?')).toBe('/files/s1/a%20b/50%25%20%231%3F');
    expect(parseFolderSplat('s1/a b/50% #1?')).toEqual({ spaceId: 's1', path: '/a b/50% #1?' });
    expect(parseFolderSplat('s1')).toEqual({ spaceId: 's1', path: '/' });
    expect(parseFolderSplat('')).toBeNull();
  });
});
