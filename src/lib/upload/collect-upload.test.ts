import { mkdtempSync, openAsBlob, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectDrop, collectEntries, collectFileList, findUnreadable, startReadabilityCheck } from './collect-upload';

type FakeTree = { [name: string]: FakeTree | File | 'unreadable' };

/** Entries shaped like Chromium's: directory readers hand out at most 2 entries per call here. */
function entry(name: string, node: FakeTree | File | 'unreadable'): FileSystemEntry {
  if (node instanceof File || node === 'unreadable') {
    return {
      name,
      isFile: true,
      isDirectory: false,
      file: (ok: (f: File) => void, fail: (e: Error) => void) => (node === 'unreadable' ? fail(new Error('NotReadableError')) : ok(node)),
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
      sub: { deep: { '"q" é.txt': file('"q" é.txt') }, 'b.txt': file('b.txt') },
      empty: {},
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

describe('collectDrop', () => {
  /** A drop's DataTransfer as Chromium hands it over: emptied once the drop handler returns. */
  function dropOf(items: { kind: string; entry: FileSystemEntry | null }[], files: File[]) {
    const data = {
      items: items.map((i) => ({ kind: i.kind, webkitGetAsEntry: () => i.entry })),
      files,
    };
    const empty = () => Object.assign(data, { items: [], files: [] });
    return { data: data as unknown as DataTransfer, empty };
  }

  it('takes the entries during the drop and walks the tree after it, skipping string items', async () => {
    const drop = dropOf(
      [
        { kind: 'file', entry: entry('Tree', { 'a.txt': file('a.txt'), empty: {} }) },
        { kind: 'string', entry: entry('text', file('text')) },
      ],
      [],
    );
    const read = collectDrop(drop.data, 100);
    drop.empty();
    const got = await read();
    expect(got.sources.map((s) => s.path)).toEqual(['Tree/a.txt']);
    expect(got.emptyFolders).toEqual(['Tree/empty']);
  });

  it('falls back to the flat file list when the browser gives no entries, within the limit', async () => {
    const drop = dropOf([{ kind: 'file', entry: null }], [file('1'), file('2')]);
    const read = collectDrop(drop.data, 1);
    drop.empty();
    expect(await read()).toMatchObject({ sources: [{ path: '1' }], truncated: true });
  });
});

describe('findUnreadable', () => {
  // Real file-backed Blobs: reading one fails (NotReadableError) once its file changed on disk,
  // as a browser's File does when the file was removed or locked after the drop.
  const dir = mkdtempSync(path.join(tmpdir(), 'courier-unreadable-'));
  async function onDisk(name: string, changeAfterPick = false): Promise<File> {
    const at = path.join(dir, name);
    writeFileSync(at, `bytes of ${name}`);
    const blob = await openAsBlob(at);
    if (changeAfterPick) writeFileSync(at, 'changed since it was picked');
    return blob as File;
  }

  it('names only the files whose bytes cannot be read, among many read at once', async () => {
    const sources = await Promise.all(
      Array.from({ length: 1500 }, async (_, i) => ({ file: await onDisk(`f${i}`, i === 7 || i === 1203), path: `dir/f${i}` })),
    );
    sources.push({ file: file('empty', ''), path: 'empty' });
    expect(await findUnreadable(sources)).toEqual(['dir/f7', 'dir/f1203']);
  });

  it('checks at once, checks afresh on demand, and an abandoned check names nothing', async () => {
    const at = path.join(dir, 'later-changed');
    writeFileSync(at, 'as picked');
    const picked = [{ file: (await openAsBlob(at)) as File, path: 'dir/later-changed' }];
    const readability = startReadabilityCheck(picked);
    expect(await readability.first).toBeNull();
    writeFileSync(at, 'changed before the upload opened it');
    expect(await readability.check()).toBe(
      'The browser could not read "dir/later-changed". Check their permissions, or whether they still exist, and try again.',
    );

    const abandoned = startReadabilityCheck(picked);
    abandoned.abandon();
    expect(await abandoned.first).toBeNull();
  });

  it('finds nothing when every file reads', async () => {
    expect(
      await findUnreadable([
        { file: await onDisk('a'), path: 'a' },
        { file: file('b', 'b'), path: 'b' },
      ]),
    ).toEqual([]);
  });
});
