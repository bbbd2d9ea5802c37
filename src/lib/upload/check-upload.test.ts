import { describe, expect, it } from 'vitest';
import { checkUpload } from './check-upload';
import type { CollectedUpload } from './collected-upload';

const source = (path: string, size = 1) => ({ path, file: { size } as File });
const upload = (over: Partial<CollectedUpload>): CollectedUpload => ({
  sources: [],
  emptyFolders: [],
  unreadable: [],
  truncated: false,
  ...over,
});

describe('checkUpload', () => {
  it('refuses a drop of nothing, and says so differently for only empty folders', () => {
    expect(checkUpload(upload({}))).toMatchObject({ ok: false, title: 'Nothing to upload' });
    const folders = checkUpload(upload({ emptyFolders: ['E'] }));
    expect(folders.ok || folders.detail).toMatch(/hold no files/);
  });

  it('refuses too many files, unreadable files and names the node refuses', () => {
    expect(checkUpload(upload({ truncated: true }))).toMatchObject({ ok: false, title: 'Too many files' });
    expect(checkUpload(upload({ sources: [source('a')], unreadable: ['b'] }))).toMatchObject({
      ok: false,
      title: 'Some files cannot be read',
    });
    expect(checkUpload(upload({ sources: [source('a\\b')] }))).toMatchObject({
      ok: false,
      title: 'Some names cannot be stored',
    });
    expect(checkUpload(upload({ sources: [source('x')], emptyFolders: ['tab\there'] })).ok).toBe(false);
  });

  it('asks for a review past 100 files or 1 GB', () => {
    expect(checkUpload(upload({ sources: [source('a', 5)] }))).toEqual({ ok: true, fileCount: 1, bytes: 5, needsReview: false });
    const many = Array.from({ length: 101 }, (_, i) => source(`f${i}`));
    expect(checkUpload(upload({ sources: many }))).toMatchObject({ needsReview: true });
    expect(checkUpload(upload({ sources: [source('big', 1_000_000_001)] }))).toMatchObject({ needsReview: true });
  });
});
