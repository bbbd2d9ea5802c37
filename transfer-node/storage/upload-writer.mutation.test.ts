import { lstatSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { WriteStream } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Docroot } from './docroot';
import { FolderListings } from './folder-listing';
import { UploadWriter } from './upload-writer';

// Atomic upload writes on real files (docs/reliability.md, "Mutation testing"): bytes reach their
// final name only through commit, and every refusal leaves what was there untouched.
let base: string;
let docroot: Docroot;
let invalidated: string[];
let writer: UploadWriter;

class RecordingListings extends FolderListings {
  override invalidate(absDir: string): void {
    invalidated.push(absDir);
    super.invalidate(absDir);
  }
}

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'courier-upload-writer-')));
  docroot = await Docroot.open(join(base, 'root'));
  invalidated = [];
  writer = new UploadWriter(docroot, new RecordingListings(docroot));
});
afterEach(() => rm(base, { recursive: true, force: true }));

const at = (...parts: string[]) => join(docroot.root, ...parts);
const finished = (stream: WriteStream) =>
  new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('close', () => resolve());
  });

async function staged(content: string): Promise<string> {
  const { partial, stream } = writer.stage();
  stream.end(content);
  await finished(stream);
  return partial;
}

const refusal = (status: number, message: string) => expect.objectContaining({ status, message });

describe('staging', () => {
  it('writes to a fresh partial file in the staging folder, not readable by others', async () => {
    const { partial, stream } = writer.stage();
    expect(dirname(partial)).toBe(docroot.stagingDir);
    expect(basename(partial)).toMatch(/^[0-9a-f-]{36}\.partial$/);
    stream.end('bytes');
    await finished(stream);
    expect(await readFile(partial, 'utf8')).toBe('bytes');
    expect(lstatSync(partial).mode & 0o777).toBe(0o640);
    expect(writer.stage().partial).not.toBe(partial);
  });

  it('a discarded (failed or aborted) write leaves nothing in staging and nothing under the final name', async () => {
    const { partial, stream } = writer.stage();
    stream.write('half of it');
    stream.destroy();
    await new Promise<void>((resolve) => stream.once('close', () => resolve()));
    await writer.discard(partial);
    expect(await readdir(docroot.stagingDir)).toEqual([]);
    await writer.discard(partial); // twice is fine
    expect(await readdir(docroot.root)).toEqual(['.courier-staging']);
  });
});

describe('a staged file filled part by part (upload sessions)', () => {
  it('is created empty and private once, and written at each offset', async () => {
    expect(writer.stagingDir).toBe(docroot.stagingDir);
    const partial = join(docroot.stagingDir, '0.partial');
    await writer.createPartial(partial);
    expect(lstatSync(partial).size).toBe(0);
    expect(lstatSync(partial).mode & 0o777).toBe(0o640);
    // Never over an existing file: two first parts cannot each start it afresh.
    await expect(writer.createPartial(partial)).rejects.toMatchObject({ code: 'EEXIST' });

    // The second part first, then the first: positional writes, neither truncates the other.
    const second = writer.writeAt(partial, 5);
    second.end('world');
    await finished(second);
    const first = writer.writeAt(partial, 0);
    first.end('hello');
    await finished(first);
    expect(await readFile(partial, 'utf8')).toBe('helloworld');
    expect(await writer.sha256(partial)).toBe('936a185caaa266bb9cbe981e9e05cb78cd732b0b3280eb944412bb6f8f8f07af');
  });
});

describe('commit', () => {
  it('moves a complete partial to its final name, creating its folders, and drops the folder listing', async () => {
    const partial = await staged('hello');
    const finalPath = await writer.batch(() => false, []).commit(partial, ['in', 'deep', 'a.txt']);
    expect(finalPath).toBe(at('in', 'deep', 'a.txt'));
    expect(await readFile(finalPath, 'utf8')).toBe('hello');
    expect(await readdir(docroot.stagingDir)).toEqual([]);
    expect(invalidated).toEqual([at('in', 'deep')]);
  });

  it('with overwrite, replaces an existing file', async () => {
    await mkdir(at('in'));
    await writeFile(at('in', 'a.txt'), 'old');
    const finalPath = await writer.batch(() => true, []).commit(await staged('new'), ['in', 'a.txt']);
    expect(await readFile(finalPath, 'utf8')).toBe('new');
    expect(await readdir(docroot.stagingDir)).toEqual([]);
  });

  it('without overwrite, refuses an existing file and keeps it, leaving the partial to discard', async () => {
    await mkdir(at('in'));
    await writeFile(at('in', 'a.txt'), 'old');
    const partial = await staged('new');
    await expect(writer.batch(() => false, []).commit(partial, ['in', 'a.txt'])).rejects.toThrow(
      refusal(409, 'File already exists and the overwrite policy is "never"'),
    );
    expect(await readFile(at('in', 'a.txt'), 'utf8')).toBe('old');
    expect(await readFile(partial, 'utf8')).toBe('new');
    expect(invalidated).toEqual([]);
  });

  it('without overwrite, a file that appears after the check is not replaced (link, not rename)', async () => {
    await mkdir(at('in'));
    const batch = writer.batch(() => false, []);
    await batch.checkTarget(['in', 'race.txt']);
    const partial = await staged('mine');
    // The folder is resolved by a first commit, then another upload wins the name.
    await batch.commit(await staged('first'), ['in', 'first.txt']);
    await writeFile(at('in', 'race.txt'), 'theirs');
    await expect(batch.commit(partial, ['in', 'race.txt'])).rejects.toThrow(expect.objectContaining({ status: 409 }));
    expect(await readFile(at('in', 'race.txt'), 'utf8')).toBe('theirs');
  });

  it('refuses to replace a folder or a symbolic link, even with overwrite', async () => {
    await mkdir(at('in', 'folder'), { recursive: true });
    await writeFile(at('in', 'target.txt'), 't');
    await symlink('target.txt', at('in', 'link.txt'));
    const batch = writer.batch(() => true, []);
    await expect(batch.commit(await staged('x'), ['in', 'folder'])).rejects.toThrow(
      refusal(409, 'A folder exists with the name of an uploaded file'),
    );
    await expect(batch.commit(await staged('x'), ['in', 'link.txt'])).rejects.toThrow(
      refusal(403, 'An upload cannot replace a symbolic link'),
    );
    expect((await stat(at('in', 'folder'))).isDirectory()).toBe(true);
    expect(await readFile(at('in', 'target.txt'), 'utf8')).toBe('t');
  });

  it('refuses a file part without a name', async () => {
    await expect(writer.batch(() => true, []).commit(await staged('x'), [])).rejects.toThrow(refusal(400, 'A file part has no name'));
    await expect(writer.batch(() => true, []).checkTarget([])).rejects.toThrow(refusal(400, 'A file part has no name'));
  });

  it("refuses a folder outside the token's folder, and remembers it for every file there", async () => {
    await mkdir(at('granted'));
    await mkdir(at('other'));
    const batch = writer.batch(() => true, ['granted']);
    const outside = refusal(403, 'A link leads outside the folder the token covers');
    await expect(batch.commit(await staged('x'), ['other', 'a.txt'])).rejects.toThrow(outside);
    await expect(batch.commit(await staged('x'), ['other', 'b.txt'])).rejects.toThrow(outside);
    await expect(batch.checkTarget(['other', 'c.txt'])).rejects.toThrow(outside);
    expect(await readdir(at('other'))).toEqual([]);
    expect(await readFile(await batch.commit(await staged('ok'), ['granted', 'a.txt']), 'utf8')).toBe('ok');
  });

  it('follows a link inside the granted folder, which stays inside it', async () => {
    await mkdir(at('granted', 'real'), { recursive: true });
    await symlink('real', at('granted', 'alias'));
    const batch = writer.batch(() => false, ['granted']);
    await batch.checkTarget(['granted', 'alias', 'a.txt']);
    expect(await batch.commit(await staged('via link'), ['granted', 'alias', 'a.txt'])).toBe(at('granted', 'real', 'a.txt'));
  });

  it('tells folders apart whose names would run together (a/b and ab)', async () => {
    const batch = writer.batch(() => false, []);
    expect(await batch.commit(await staged('1'), ['a', 'b', 'one.txt'])).toBe(at('a', 'b', 'one.txt'));
    expect(await batch.commit(await staged('2'), ['ab', 'two.txt'])).toBe(at('ab', 'two.txt'));
    await batch.checkTarget(['a', 'b', 'x']);
    await mkdir(at('ab', 'x'));
    await expect(batch.checkTarget(['ab', 'x'])).rejects.toThrow(refusal(409, 'A folder exists with the name of an uploaded file'));
  });

  it('commits several files into one folder and creates it once', async () => {
    const batch = writer.batch(() => false, []);
    const paths = await Promise.all(['a', 'b', 'c'].map(async (n) => batch.commit(await staged(n), ['many', `${n}.txt`])));
    expect(paths).toEqual([at('many', 'a.txt'), at('many', 'b.txt'), at('many', 'c.txt')]);
    expect((await readdir(at('many'))).sort()).toEqual(['a.txt', 'b.txt', 'c.txt']);
  });
});

describe('checkTarget (before any byte is written)', () => {
  it('accepts a new name, and a folder that does not exist yet (created at commit)', async () => {
    const batch = writer.batch(() => false, []);
    await expect(batch.checkTarget(['new', 'a.txt'])).resolves.toBeUndefined();
    await expect(batch.checkTarget(['top.txt'])).resolves.toBeUndefined();
    expect(await readdir(docroot.root)).toEqual(['.courier-staging']);
    expect(await batch.commit(await staged('x'), ['new', 'a.txt'])).toBe(at('new', 'a.txt'));
  });

  it('refuses an existing file unless overwrite is allowed, a folder and a link always', async () => {
    await mkdir(at('in', 'folder'), { recursive: true });
    await writeFile(at('in', 'a.txt'), 'a');
    await symlink('a.txt', at('in', 'link'));
    const never = writer.batch(() => false, []);
    await expect(never.checkTarget(['in', 'a.txt'])).rejects.toThrow(
      refusal(409, 'File already exists and the overwrite policy is "never"'),
    );
    const always = writer.batch(() => true, []);
    await expect(always.checkTarget(['in', 'a.txt'])).resolves.toBeUndefined();
    await expect(always.checkTarget(['in', 'folder'])).rejects.toThrow(refusal(409, 'A folder exists with the name of an uploaded file'));
    await expect(always.checkTarget(['in', 'link'])).rejects.toThrow(refusal(403, 'An upload cannot replace a symbolic link'));
  });

  it('refuses a link out of its folder on the way', async () => {
    await mkdir(at('in'));
    await mkdir(join(base, 'outside'));
    await symlink(join(base, 'outside'), at('in', 'out'));
    await expect(writer.batch(() => true, []).checkTarget(['in', 'out', 'a.txt'])).rejects.toThrow(
      refusal(403, 'Symbolic link /in/out is not followed: it leads outside the folder that holds it'),
    );
  });
});
