import { lstatSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Docroot, ignoreMissing, isInside } from './docroot';

// The docroot on real folders: what each access reaches, and every link it refuses with its
// reason (docs/reliability.md, "Mutation testing").
let base: string;
let dir: string;
let docroot: Docroot;

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'courier-docroot-')));
  dir = join(base, 'root');
  docroot = await Docroot.open(dir);
});
afterEach(() => rm(base, { recursive: true, force: true }));

const refusal = (message: string, status = 403) => expect.objectContaining({ status, message });

describe('Docroot.open', () => {
  it('creates a missing docroot with its parents and a private, empty staging folder', async () => {
    const nested = join(base, 'a', 'b', 'docroot');
    const opened = await Docroot.open(nested);
    expect(opened.root).toBe(nested);
    expect(opened.stagingDir).toBe(join(nested, '.courier-staging'));
    expect((await stat(opened.stagingDir)).isDirectory()).toBe(true);
    expect(lstatSync(opened.stagingDir).mode & 0o777).toBe(0o700);
  });

  it('empties the staging folder a killed process left, including folders in it, but for the upload sessions, and keeps the rest', async () => {
    await writeFile(join(docroot.stagingDir, 'left.partial'), 'half');
    await mkdir(join(docroot.stagingDir, 'sub'));
    await writeFile(join(docroot.stagingDir, 'sub', 'x'), 'x');
    await mkdir(join(docroot.stagingDir, 'sessions', 'k'), { recursive: true });
    await writeFile(join(docroot.stagingDir, 'sessions', 'k', '0.partial'), 'held');
    await writeFile(join(dir, 'kept.txt'), 'kept');
    const reopened = await Docroot.open(dir);
    expect(await readdir(reopened.stagingDir, { recursive: true })).toEqual([
      'sessions',
      join('sessions', 'k'),
      join('sessions', 'k', '0.partial'),
    ]);
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['kept.txt', '.courier-staging']));
  });

  it('takes the real path of a docroot reached through a link', async () => {
    await symlink(dir, join(base, 'alias'));
    const opened = await Docroot.open(join(base, 'alias'));
    expect(opened.root).toBe(dir);
  });
});

describe('resolve and resolveEntry', () => {
  beforeEach(async () => {
    await mkdir(join(dir, 'alpha', 'docs'), { recursive: true });
    await mkdir(join(dir, 'beta'), { recursive: true });
    await writeFile(join(dir, 'alpha', 'docs', 'a.txt'), 'abc');
    await writeFile(join(dir, 'beta', 'secret.txt'), 'secret');
  });

  it('resolves an existing file with its stat and node path', async () => {
    const found = await docroot.resolve(['alpha', 'docs', 'a.txt']);
    expect(found.nodePath).toBe('/alpha/docs/a.txt');
    expect(found.abs).toBe(join(dir, 'alpha', 'docs', 'a.txt'));
    expect(found.stats?.size).toBe(3);
    expect(found.stats?.isFile()).toBe(true);
  });

  it('resolves the docroot itself for no segments', async () => {
    const found = await docroot.resolve([]);
    expect(found).toMatchObject({ nodePath: '/', abs: dir });
    expect(found.stats?.isDirectory()).toBe(true);
    const entry = await docroot.resolveEntry([]);
    expect(entry).toMatchObject({ nodePath: '/', abs: dir });
    expect(entry.stats?.isDirectory()).toBe(true);
  });

  it('answers a missing path with no stats and where it would be, below a missing folder too', async () => {
    expect(await docroot.resolve(['alpha', 'nope.txt'])).toEqual({
      nodePath: '/alpha/nope.txt',
      abs: join(dir, 'alpha', 'nope.txt'),
      stats: null,
    });
    expect(await docroot.resolve(['gone', 'deeper', 'x'])).toEqual({
      nodePath: '/gone/deeper/x',
      abs: join(dir, 'gone', 'deeper', 'x'),
      stats: null,
    });
    expect(await docroot.resolveEntry(['gone', 'x'])).toEqual({ nodePath: '/gone/x', abs: join(dir, 'gone', 'x'), stats: null });
    expect(await docroot.resolveEntry(['alpha', 'nope'])).toEqual({
      nodePath: '/alpha/nope',
      abs: join(dir, 'alpha', 'nope'),
      stats: null,
    });
  });

  it('treats a path through a file as missing rather than failing', async () => {
    expect((await docroot.resolve(['alpha', 'docs', 'a.txt', 'below'])).stats).toBeNull();
    expect((await docroot.resolveEntry(['alpha', 'docs', 'a.txt', 'below'])).stats).toBeNull();
  });

  it('follows a link inside the folder that holds it, to its real target', async () => {
    await symlink('docs', join(dir, 'alpha', 'shortcut'));
    const found = await docroot.resolve(['alpha', 'shortcut', 'a.txt']);
    expect(found.abs).toBe(join(dir, 'alpha', 'docs', 'a.txt'));
    expect(found.nodePath).toBe('/alpha/shortcut/a.txt');
    expect(found.stats?.size).toBe(3);
    await symlink('docs/a.txt', join(dir, 'alpha', 'file-link'));
    const file = await docroot.resolve(['alpha', 'file-link']);
    expect(file.abs).toBe(join(dir, 'alpha', 'docs', 'a.txt'));
    expect(file.stats?.isFile()).toBe(true);
  });

  it('resolveEntry keeps the last segment a link (to remove it), following only its parents', async () => {
    await symlink('docs', join(dir, 'alpha', 'shortcut'));
    await symlink('a.txt', join(dir, 'alpha', 'docs', 'to-a'));
    const entry = await docroot.resolveEntry(['alpha', 'shortcut', 'to-a']);
    expect(entry.abs).toBe(join(dir, 'alpha', 'docs', 'to-a'));
    expect(entry.stats?.isSymbolicLink()).toBe(true);
    expect(entry.nodePath).toBe('/alpha/shortcut/to-a');
    // Even a link that leads outside may be named as an entry: it is not followed.
    await symlink('../../beta', join(dir, 'alpha', 'docs', 'out'));
    expect((await docroot.resolveEntry(['alpha', 'docs', 'out'])).stats?.isSymbolicLink()).toBe(true);
  });

  it('refuses a link that leaves the folder that holds it, naming the link', async () => {
    await symlink('../beta', join(dir, 'alpha', 'to-beta'));
    const error = refusal('Symbolic link /alpha/to-beta is not followed: it leads outside the folder that holds it');
    await expect(docroot.resolve(['alpha', 'to-beta'])).rejects.toThrow(error);
    await expect(docroot.resolve(['alpha', 'to-beta', 'secret.txt'])).rejects.toThrow(error);
    await expect(docroot.resolveEntry(['alpha', 'to-beta', 'secret.txt'])).rejects.toThrow(error);
    await expect(docroot.locate(['alpha', 'to-beta'])).rejects.toThrow(error);
  });

  it('refuses a link two levels up even though its target is inside the docroot', async () => {
    await symlink('../../beta', join(dir, 'alpha', 'docs', 'link'));
    await expect(docroot.resolve(['alpha', 'docs', 'link'])).rejects.toThrow(
      refusal('Symbolic link /alpha/docs/link is not followed: it leads outside the folder that holds it'),
    );
  });

  it('refuses a link out of the docroot, naming it by its path on disk', async () => {
    await writeFile(join(base, 'outside.txt'), 'x');
    await symlink(join(base, 'outside.txt'), join(dir, 'escape'));
    await expect(docroot.resolve(['escape'])).rejects.toThrow(
      refusal('Symbolic link /escape is not followed: it leads outside the folder that holds it'),
    );
  });

  it('refuses a dangling link, whose target could be created later', async () => {
    await symlink('nowhere', join(dir, 'alpha', 'dangling'));
    await expect(docroot.resolve(['alpha', 'dangling'])).rejects.toThrow(
      refusal('Symbolic link /alpha/dangling is not followed: its target does not exist'),
    );
  });

  it("refuses a link into the node's staging area, and the staging folder by name", async () => {
    await symlink('.courier-staging', join(dir, 'stage'));
    await expect(docroot.resolve(['stage'])).rejects.toThrow(
      refusal("Symbolic link /stage is not followed: it leads into the node's staging area"),
    );
    await writeFile(join(docroot.stagingDir, 'x.partial'), 'x');
    await symlink('.courier-staging/x.partial', join(dir, 'partial-link'));
    await expect(docroot.resolve(['partial-link'])).rejects.toThrow(
      refusal("Symbolic link /partial-link is not followed: it leads into the node's staging area"),
    );
    await expect(docroot.resolve(['.courier-staging', 'x.partial'])).rejects.toThrow(
      refusal('Path is reserved by the node: /.courier-staging'),
    );
    await expect(docroot.resolveEntry(['.courier-staging', 'x.partial'])).rejects.toThrow(
      refusal('Path is reserved by the node: /.courier-staging'),
    );
  });

  it('locate says where a folder is and whether it is missing, without a stat', async () => {
    await symlink('docs', join(dir, 'alpha', 'shortcut'));
    expect(await docroot.locate(['alpha', 'shortcut'])).toEqual({ abs: join(dir, 'alpha', 'docs'), missing: false });
    expect(await docroot.locate(['alpha', 'new', 'deeper'])).toEqual({ abs: join(dir, 'alpha', 'new', 'deeper'), missing: true });
    expect(await docroot.locate([])).toEqual({ abs: dir, missing: false });
  });
});

describe('ensureDir', () => {
  it('creates each missing folder and returns the deepest one', async () => {
    const made = await docroot.ensureDir(['x', 'y', 'z']);
    expect(made).toBe(join(dir, 'x', 'y', 'z'));
    expect((await stat(made)).isDirectory()).toBe(true);
    expect(await docroot.ensureDir([])).toBe(dir);
  });

  it('goes through existing folders and through links that stay inside their folder', async () => {
    await mkdir(join(dir, 'a', 'real'), { recursive: true });
    await symlink('real', join(dir, 'a', 'link'));
    const made = await docroot.ensureDir(['a', 'link', 'new']);
    expect(made).toBe(join(dir, 'a', 'real', 'new'));
    expect((await stat(made)).isDirectory()).toBe(true);
  });

  it('refuses a link that leaves its folder, and creates nothing past it', async () => {
    await mkdir(join(dir, 'a'));
    await mkdir(join(base, 'elsewhere'));
    await symlink(join(base, 'elsewhere'), join(dir, 'a', 'out'));
    await expect(docroot.ensureDir(['a', 'out', 'new'])).rejects.toThrow(
      refusal('Symbolic link /a/out is not followed: it leads outside the folder that holds it'),
    );
    expect(await readdir(join(base, 'elsewhere'))).toEqual([]);
  });

  it('refuses a file in the way with "not a folder"', async () => {
    await writeFile(join(dir, 'file'), 'x');
    await expect(docroot.ensureDir(['file', 'sub'])).rejects.toThrow(refusal('Path is not a folder', 409));
    await symlink('file', join(dir, 'file-link'));
    await expect(docroot.ensureDir(['file-link'])).rejects.toThrow(refusal('Path is not a folder', 409));
  });

  it('refuses the staging folder by identity and a link into it', async () => {
    await expect(docroot.ensureDir(['.courier-staging', 'x'])).rejects.toThrow(refusal('Path is reserved by the node: /.courier-staging'));
    await symlink('.courier-staging', join(dir, 'stage'));
    await expect(docroot.ensureDir(['stage', 'x'])).rejects.toThrow(
      refusal("Symbolic link /stage is not followed: it leads into the node's staging area"),
    );
    expect(await readdir(docroot.stagingDir)).toEqual([]);
  });

  it('lets concurrent callers create the same folders', async () => {
    const all = await Promise.all(Array.from({ length: 8 }, () => docroot.ensureDir(['p', 'q', 'r'])));
    expect(new Set(all)).toEqual(new Set([join(dir, 'p', 'q', 'r')]));
  });
});

describe('listing and paths', () => {
  it('hides the staging folder in the docroot only', async () => {
    await mkdir(join(dir, 'sub', '.courier-staging'), { recursive: true });
    await writeFile(join(dir, 'a.txt'), 'a');
    const top = await docroot.list(dir);
    expect(top.map((e) => e.name).sort()).toEqual(['a.txt', 'sub']);
    expect((await docroot.list(join(dir, 'sub'))).map((e) => e.name)).toEqual(['.courier-staging']);
  });

  it('gives the node path of a path inside the docroot, and null outside it', () => {
    expect(docroot.nodePathOf(dir)).toBe('/');
    expect(docroot.nodePathOf(join(dir, 'a', 'b'))).toBe('/a/b');
    expect(docroot.nodePathOf(`${dir}-sibling${sep}a`)).toBeNull();
    expect(docroot.nodePathOf(base)).toBeNull();
  });

  it('isInside: the root itself and below, never a sibling sharing a prefix', () => {
    expect(isInside('/srv/a', '/srv/a')).toBe(true);
    expect(isInside('/srv/a', '/srv/a/b')).toBe(true);
    expect(isInside('/srv/a', '/srv/ab')).toBe(false);
    expect(isInside('/srv/a', '/srv')).toBe(false);
    expect(isInside('/srv/a/', '/srv/a/b')).toBe(true);
    expect(isInside('/', '/anything')).toBe(true);
  });

  it('ignoreMissing turns a missing path into null and rethrows anything else', () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    expect(ignoreMissing(err('ENOENT'))).toBeNull();
    expect(ignoreMissing(err('ENOTDIR'))).toBeNull();
    expect(() => ignoreMissing(err('EACCES'))).toThrow('EACCES');
  });
});

describe('Docroot.jail (an access key storage root, docs/node-api.md §1.2)', () => {
  it('resolves paths below the folder, as its own root, without creating a staging folder there', async () => {
    await mkdir(join(dir, 'tenant/docs'), { recursive: true });
    await writeFile(join(dir, 'tenant/docs/a.txt'), 'a');
    const jailed = await docroot.jail(['tenant']);
    expect(jailed.root).toBe(join(dir, 'tenant'));
    const resolved = await jailed.resolve(['docs', 'a.txt']);
    expect(resolved).toMatchObject({ nodePath: '/docs/a.txt', abs: join(dir, 'tenant/docs/a.txt') });
    expect(jailed.nodePathOf(join(dir, 'tenant/docs'))).toBe('/docs');
    expect(jailed.nodePathOf(join(dir, 'other'))).toBeNull();
    expect(await readdir(join(dir, 'tenant'))).toEqual(['docs']);
  });

  it('follows a link to the jail only when its target stays inside the folder that holds it', async () => {
    await mkdir(join(dir, 'tenant/in'), { recursive: true });
    await mkdir(join(dir, 'other'));
    await symlink(join(dir, 'other'), join(dir, 'tenant/out'));
    await symlink(join(dir, 'tenant'), join(dir, 'alias'));
    const jailed = await docroot.jail(['tenant']);
    await expect(jailed.resolve(['out'])).rejects.toEqual(
      refusal('Symbolic link /out is not followed: it leads outside the folder that holds it'),
    );
    // The jail itself may be named through a link that stays in the docroot: it is its real folder.
    expect((await docroot.jail(['alias'])).root).toBe(join(dir, 'tenant'));
  });

  it('refuses a missing folder, a file, and the staging folder', async () => {
    await writeFile(join(dir, 'file.txt'), 'x');
    await expect(docroot.jail(['missing'])).rejects.toEqual(refusal("The access key's storage folder does not exist", 404));
    await expect(docroot.jail(['file.txt'])).rejects.toEqual(refusal('Path is not a folder', 409));
    await expect(docroot.jail(['.courier-staging'])).rejects.toEqual(expect.objectContaining({ status: 403 }));
  });

  it('keeps the staging folder out of reach from a jail, by link or by name', async () => {
    await mkdir(join(dir, 'tenant'));
    await symlink(docroot.stagingDir, join(dir, 'tenant/staging-link'));
    const jailed = await docroot.jail(['tenant']);
    await expect(jailed.resolve(['staging-link'])).rejects.toEqual(expect.objectContaining({ status: 403 }));
    const whole = await docroot.jail([]);
    await expect(whole.resolve(['.courier-staging'])).rejects.toEqual(expect.objectContaining({ status: 403 }));
  });
});
