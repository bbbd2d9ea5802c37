import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UploadGrants } from './upload-grants';

const dirs: string[] = [];
const stateDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'grants-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const exp = () => Math.floor(Date.now() / 1000) + 60;

describe('upload grants', () => {
  it('carries one upload: in use while a request holds it, given back on failure, spent on success', () => {
    const grants = new UploadGrants(stateDir());
    const id = grants.create(exp(), [['/In/a.txt', 3]]);
    grants.claim(id);
    expect(() => grants.claim(id)).toThrow(expect.objectContaining({ status: 409 }));
    grants.release(id);
    grants.claim(id);
    grants.consume(id);
    expect(() => grants.claim(id)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => grants.claim('no-such-grant')).toThrow(expect.objectContaining({ status: 401 }));
    grants.close();
  });

  it('frees grants a killed process held, and keeps its file private', () => {
    const dir = stateDir();
    const before = new UploadGrants(dir);
    const id = before.create(exp(), []);
    before.claim(id);
    before.close();
    const after = new UploadGrants(dir);
    expect(() => after.claim(id)).not.toThrow();
    after.close();
    expect(statSync(join(dir, 'upload-grants.db')).mode & 0o777).toBe(0o600);
  });

  it('checks files against the manifest: declared sizes are ceilings, size-less paths are folders', () => {
    const grants = new UploadGrants(stateDir());
    const manifest = grants.claim(
      grants.create(exp(), [
        ['/In/a.txt', 3],
        ['/In/docs', null],
      ]),
    );
    expect(() => manifest.check('/In/a.txt', 3)).not.toThrow();
    expect(() => manifest.check('/In/a.txt', 4)).toThrow(expect.objectContaining({ status: 413 }));
    expect(() => manifest.check('/In/docs/deep/b.txt', 10 ** 9)).not.toThrow();
    expect(() => manifest.check('/In/b.txt', 1)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => manifest.check('/In/a.txt/x', 1)).toThrow(expect.objectContaining({ status: 403 }));
    const open = grants.claim(grants.create(exp(), []));
    expect(() => open.check('/anything', 1)).not.toThrow();
    grants.close();
  });
});
