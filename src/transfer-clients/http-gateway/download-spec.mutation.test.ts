import { describe, expect, it } from 'vitest';
import { expectedSize, fileNameFromDisposition, withZipWhenNeeded } from './download-spec';

// Cases Stryker showed the first test file let through (docs/reliability.md).
describe('download spec helpers, edge cases', () => {
  it('reads no expected_size from partial tags or sizes that are not a byte count', () => {
    expect(expectedSize({ tags: {} })).toBeNull();
    expect(expectedSize({ tags: { aspera: {} } })).toBeNull();
    expect(expectedSize({ tags: { aspera: { 'http-gateway': { expected_size: Number.POSITIVE_INFINITY } } } })).toBeNull();
    expect(expectedSize({ tags: { aspera: { 'http-gateway': { expected_size: -1 } } } })).toBeNull();
    expect(expectedSize({ tags: { aspera: { 'http-gateway': { expected_size: 0 } } } })).toBe(0);
  });

  it('leaves a single file, an empty list or malformed paths unzipped', () => {
    for (const paths of [[], [{}], [null], [{ source: 42 }]]) expect(withZipWhenNeeded({ paths })).toEqual({ paths });
  });

  it('zips the whole folder `.`', () => {
    expect(withZipWhenNeeded({ title: 'Team share', paths: [{ source: '.' }] })).toMatchObject({
      zip_required: true,
      download_name: 'Team share',
    });
  });

  it('makes the zip name a name: Unicode kept, separators and control characters one underscore, spaces collapsed, at most 100 long', () => {
    const zipName = (title: string) => withZipWhenNeeded({ title, paths: [{ source: 'a' }, { source: 'b' }] }).download_name;
    expect(zipName('Été  2024 / bilan')).toBe('Été 2024 _ bilan');
    expect(zipName('a\\b\u0000c')).toBe('a_b_c');
    expect(zipName('  spaced  ')).toBe('spaced');
    expect(zipName('é'.repeat(150))).toBe('é'.repeat(100));
    expect(zipName('   ')).toBe('download');
    expect(withZipWhenNeeded({ title: 'T', download_name: 'mine.zip', paths: [{ source: 'a' }, { source: 'b' }] }).download_name).toBe(
      'mine.zip',
    );
  });

  it('reads filename* and filename with spaces around "=", and unescapes quoted names', () => {
    expect(fileNameFromDisposition('attachment; filename* = UTF-8\'\'r%C3%A9sum%C3%A9.pdf; filename="resume.pdf"')).toBe('résumé.pdf');
    expect(fileNameFromDisposition('attachment; filename = "spaced.txt"')).toBe('spaced.txt');
    expect(fileNameFromDisposition('attachment; filename="say \\"hi\\".txt"')).toBe('say "hi".txt');
    expect(fileNameFromDisposition('attachment; filename=" padded.txt "')).toBe('padded.txt');
  });

  it('falls back to filename when filename* is malformed, and finds nothing without either', () => {
    expect(fileNameFromDisposition('attachment; filename*=UTF-8\'\'%E0%A4%A; filename="fallback.txt"')).toBe('fallback.txt');
    expect(fileNameFromDisposition('inline')).toBeNull();
  });

  it('refuses names that are no file: empty, `.` or a folder', () => {
    expect(fileNameFromDisposition('attachment; filename="."')).toBeNull();
    expect(fileNameFromDisposition('attachment; filename="folder/"')).toBeNull();
    expect(fileNameFromDisposition('attachment; filename=""')).toBeNull();
  });
});
