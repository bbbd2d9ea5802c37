import { describe, expect, it } from 'vitest';
import { sharedItems, toSharePath, toSpacePath } from './share-paths';

describe('share paths', () => {
  const items = sharedItems(['/projects/2026/report.pdf', '/projects/photos']);

  it('names each shared item by its name, and refuses two of one name or the whole space', () => {
    expect([...items]).toEqual([
      ['report.pdf', '/projects/2026/report.pdf'],
      ['photos', '/projects/photos'],
    ]);
    expect(() => sharedItems(['/a/x', '/b/x'])).toThrow(/Two shared items are named "x"/);
    expect(() => sharedItems(['/'])).toThrow(/not the whole space/);
  });

  it('maps a share path to the space path under its item, and back', () => {
    expect(toSpacePath(items, '/report.pdf')).toBe('/projects/2026/report.pdf');
    expect(toSpacePath(items, 'photos/2024/a.jpg')).toBe('/projects/photos/2024/a.jpg');
    expect(toSharePath(items, '/projects/photos/2024/a.jpg')).toBe('/photos/2024/a.jpg');
    expect(toSharePath(items, '/projects/photos')).toBe('/photos');
    // A sibling whose name starts like the item's is not inside it.
    expect(toSharePath(items, '/projects/photos-private/x')).toBeNull();
  });

  it.each([
    ['/photos/../2026/report.pdf', 'INVALID_PATH'],
    ['../projects', 'INVALID_PATH'],
    ['/photos\\..\\x', 'INVALID_PATH'],
    ['/photos/\u2025/x', 'INVALID_PATH'],
    ['/', 'PATH_NOT_FOUND'],
    ['/projects', 'PATH_NOT_FOUND'],
    ['/photos-private', 'PATH_NOT_FOUND'],
  ])('refuses %j (%s)', (raw, code) => {
    expect(() => toSpacePath(items, raw)).toThrow(expect.objectContaining({ code }));
  });
});
