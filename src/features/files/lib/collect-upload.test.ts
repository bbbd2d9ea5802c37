import { describe, expect, it } from 'vitest';
import { collectEntries, collectFileList, findUnreadable } from './collect-upload';

type FakeTree = { [name: string]: FakeTree | File | 'unreadable' };

/** Entries shaped like Chromium's: directory readers hand out at most 2 entries per call here. */
function entry(name: string, node: FakeTree | File | 'unreadable'): FileSystemEntry {
  if (node instanceof File || node === 'unreadable') {
    return {
      name,
      isFile: true,
      isDirectory: false,
      file: (ok: (f: File) => void, fail: (e: Error) => void) =>
        node === 'unreadable' ? fail(new Error('NotReadableError')) : ok(node),
    } as unknown as FileSystemEntry;
  }
  const children = Object.entries(node).map(([n, child]) => entry(n, child));
  return {
    name,
    isFile: false,
    isDirectory: true,
    createReader: () => {
      let at = 0;
      return {
        readEntries: (ok: (batch: FileSystemEntry[]) => void) => {
          const batch = children.slice(at, at + 2);
          at += batch.length;
          ok(batch);
        },
      };
    },
  } as unknown as FileSystemEntry;
}

const file = (name: string, content = 'x') => new File([content], name);

describe('collectEntries', () => {
  it('keeps nested folders, empty folders and 0-byte files, across reader batches', async () => {
    const tree = entry('Tree', {
      'a.txt': file('a.txt'),
      'zero.bin': file('zero.bin', ''),
      'sub': { 'deep': { '"q" é.txt': file('"q" é.txt') }, 'b.txt': file('b.txt') },
      'empty': {},
    });
    const got = await collectEntries([tree, entry('loose.txt', file('loose.txt'))], 100);
    expect(got.sources.map((s) => s.path).sort()).toEqual([
      'Tree/a.txt',
      'Tree/sub/b.txt',
      'Tree/sub/deep/"q" é.txt',
      'Tree/zero.bin',
      'loose.txt',
    ]);
    expect(got.sources.find((s) => s.path === 'Tree/zero.bin')?.file.size).toBe(0);
    expect(got.emptyFolders).toEqual(['Tree/empty']);
    expect(got).toMatchObject({ unreadable: [], truncated: false });
  });

  it('reports files the browser cannot read, and stops past the limit', async () => {
    const got = await collectEntries([entry('D', { ok: file('ok'), bad: 'unreadable' })], 100);
    expect(got.unreadable).toEqual(['D/bad']);
    const many = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}`, file(`f${i}`)]));
    const capped = await collectEntries([entry('M', many)], 3);
    expect(capped.truncated).toBe(true);
    expect(capped.sources).toHaveLength(3);
  });
});

describe('collectFileList', () => {
  it('uses the relative path of a folder pick and the name of a file pick', () => {
    const inFolder = file('x.txt');
    Object.defineProperty(inFolder, 'webkitRelativePath', { value: 'Pick/sub/x.txt' });
    const got = collectFileList([inFolder, file('y.txt')], 10);
    expect(got.sources.map((s) => s.path)).toEqual(['Pick/sub/x.txt', 'y.txt']);
    expect(collectFileList([file('1'), file('2')], 1).truncated).toBe(true);
  });
});

describe('findUnreadable', () => {
  it('names files whose bytes cannot be read', async () => {
    const broken = file('broken', 'data');
    Object.defineProperty(broken, 'slice', {
      value: () => ({ arrayBuffer: () => Promise.reject(new Error('NotReadableError')) }),
    });
    expect(await findUnreadable([{ file: broken, path: 'broken' }, { file: file('ok'), path: 'ok' }])).toEqual(['broken']);
  });
});
