import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Manifest, UploadGrants } from './upload-grants';

const dirs: string[] = [];
const grantsIn = () => {
  const dir = mkdtempSync(join(tmpdir(), 'grants-'));
  dirs.push(dir);
  return new UploadGrants(dir);
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const nowSeconds = () => Math.floor(Date.now() / 1000);

// Cases Stryker found untested (docs/reliability.md).
describe('upload grants, pruning and manifests', () => {
  it('prunes grants long expired when a new one is made, and keeps the live ones', () => {
    const grants = grantsIn();
    const live = grants.create(nowSeconds() + 60, []);
    const lapsed = grants.create(nowSeconds() - 30 * 24 * 3600, []);
    grants.create(nowSeconds() + 60, []);
    expect(() => grants.claim(lapsed)).toThrow(
      expect.objectContaining({ status: 401, message: expect.stringMatching(/not authorized by this node/) }),
    );
    expect(grants.claim(live)).toBeInstanceOf(Manifest);
    grants.close();
  });

  it('says why a claim is refused', () => {
    const grants = grantsIn();
    const id = grants.create(nowSeconds() + 60, []);
    grants.claim(id);
    expect(() => grants.claim(id)).toThrow(
      expect.objectContaining({ status: 409, message: expect.stringMatching(/one token carries one upload/) }),
    );
    grants.consume(id);
    expect(() => grants.claim(id)).toThrow(expect.objectContaining({ status: 403, message: expect.stringMatching(/already used/) }));
    grants.close();
    expect(() => grants.claim(id)).toThrow(/not open/);
  });

  it('holds a file declared empty to zero bytes', () => {
    const manifest = new Manifest([['/in/empty.txt', 0]]);
    expect(() => manifest.check('/in/empty.txt', 0)).not.toThrow();
    expect(() => manifest.check('/in/empty.txt', 1)).toThrow(
      expect.objectContaining({
        status: 413,
        message: 'File /in/empty.txt has 1 bytes, more than the 0 declared when the upload was authorized',
      }),
    );
  });

  it('lets a file in under any one of several declared folders, and names a file outside them', () => {
    const manifest = new Manifest([
      ['/in/photos', null],
      ['/in/docs', null],
    ]);
    expect(() => manifest.check('/in/docs/a.pdf', 10)).not.toThrow();
    expect(() => manifest.check('/in/other/a.pdf', 10)).toThrow(
      expect.objectContaining({ status: 403, message: 'File /in/other/a.pdf was not declared when the upload was authorized' }),
    );
  });
});

describe('which declared files may replace an existing one (a token that allows replacing)', () => {
  it('keeps what the portal marked to keep: the file itself, or everything below a kept folder', () => {
    const manifest = new Manifest([
      ['/in/report.txt', 8],
      ['/in/report (1).txt', 8, 'keep'],
      ['/in/Photos', null, 'keep'],
      ['/in/Music', null],
    ]);
    expect(manifest.mayReplace('/in/report.txt')).toBe(true);
    expect(manifest.mayReplace('/in/report (1).txt')).toBe(false);
    expect(manifest.mayReplace('/in/Photos/a.jpg')).toBe(false);
    expect(manifest.mayReplace('/in/Photos/deep/b.jpg')).toBe(false);
    // A folder not kept, and a name that only starts like a kept folder, may be replaced.
    expect(manifest.mayReplace('/in/Music/song.mp3')).toBe(true);
    expect(manifest.mayReplace('/in/Photos2/c.jpg')).toBe(true);
  });

  it('replaces anything when nothing was marked to keep', () => {
    const manifest = new Manifest([['/in', null]]);
    expect(manifest.mayReplace('/in/any.txt')).toBe(true);
    expect(new Manifest([]).mayReplace('/x')).toBe(true);
  });
});
