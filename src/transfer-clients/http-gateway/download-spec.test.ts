import { describe, expect, it } from 'vitest';
import { encodeSpecHeader, expectedSize, fileNameFromDisposition, savedFileName, withZipWhenNeeded } from './download-spec';
import { gatewayEndpoint, normaliseGatewayUrl } from './gateway-url';

describe('download spec helpers', () => {
  it('encodes the spec as standard base64 of UTF-8 JSON (§4.1)', () => {
    const spec = { direction: 'receive', paths: [{ source: 'dossier/été "q".txt' }], pad: '>>>???' };
    const header = encodeSpecHeader(spec);
    expect(header).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(JSON.parse(Buffer.from(header, 'base64').toString('utf8'))).toEqual(spec);
    const long = { paths: Array.from({ length: 2000 }, (_, i) => ({ source: `folder/file-${i}.txt` })) };
    expect(JSON.parse(Buffer.from(encodeSpecHeader(long), 'base64').toString('utf8'))).toEqual(long);
  });

  it('reads expected_size only when it is a number', () => {
    expect(expectedSize({ tags: { aspera: { 'http-gateway': { expected_size: 42 } } } })).toBe(42);
    expect(expectedSize({ tags: { aspera: { 'http-gateway': { expected_size: '42' } } } })).toBeNull();
    expect(expectedSize({})).toBeNull();
  });

  it('asks for a zip for several paths or a folder, named from the title', () => {
    expect(withZipWhenNeeded({ paths: [{ source: 'a' }] })).toEqual({ paths: [{ source: 'a' }] });
    expect(withZipWhenNeeded({ title: '3 items', paths: [{ source: 'a' }, { source: 'b' }] })).toMatchObject({
      zip_required: true,
      download_name: '3 items',
    });
    expect(withZipWhenNeeded({ paths: [{ source: 'photos/' }] })).toMatchObject({ zip_required: true, download_name: 'download' });
    expect(withZipWhenNeeded({ zip_required: false, paths: [{ source: 'a' }, { source: 'b' }] })).toMatchObject({ zip_required: false });
  });

  it('saves under filename*, else the name the spec asked for (Unicode kept), else the plain filename', () => {
    const ascii = 'attachment; filename="ete _q_.dat"';
    expect(savedFileName({ paths: [{ source: 'docs/été "q".dat' }] }, ascii, 'application/octet-stream')).toBe('été "q".dat');
    expect(savedFileName({ paths: [{ source: 'x' }] }, `${ascii}; filename*=UTF-8''%C3%A9t%C3%A9.dat`, null)).toBe('été.dat');
    const zip = { zip_required: true, download_name: 'Équipe 2026-12-01', paths: [{ source: 'a' }, { source: 'b' }] };
    expect(savedFileName(zip, 'attachment; filename="Equipe 2026-12-01.zip"', 'application/zip')).toBe('Équipe 2026-12-01.zip');
    expect(savedFileName({ zip_required: true, paths: [{ source: 'a' }] }, null, 'application/zip')).toBe('download.zip');
    expect(savedFileName({ zip_required: true, download_name: '../x', paths: [] }, null, null)).toBe('x.zip');
    // A folder the embedded node zipped without being asked: its own name for it.
    expect(savedFileName({ paths: [{ source: 'photos' }] }, 'attachment; filename="download.zip"', 'application/zip')).toBe('download.zip');
    expect(savedFileName({ paths: [{ source: '.' }] }, null, null)).toBe('download');
  });

  it('takes the saved name from Content-Disposition, never a path', () => {
    expect(fileNameFromDisposition('attachment; filename="slow.bin"')).toBe('slow.bin');
    expect(fileNameFromDisposition('attachment; filename="a.txt"; filename*=UTF-8\'\'%C3%A9t%C3%A9.txt')).toBe('été.txt');
    expect(fileNameFromDisposition('attachment; filename=plain.zip')).toBe('plain.zip');
    expect(fileNameFromDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(fileNameFromDisposition('attachment; filename=".."')).toBeNull();
    expect(fileNameFromDisposition(null)).toBeNull();
  });

  it('normalises the base like the SDK and drops the query for presign only (§1)', () => {
    expect(normaliseGatewayUrl(' gw.example.com/aspera/http-gwy/ ')).toBe('https://gw.example.com/aspera/http-gwy');
    expect(gatewayEndpoint('http://h:9092/aspera/http-gwy/', '/v3/upload')).toBe('http://h:9092/aspera/http-gwy/v3/upload');
    expect(gatewayEndpoint('http://h:9092/aspera/http-gwy?x=1', '/v3/presign')).toBe('http://h:9092/aspera/http-gwy/v3/presign');
  });
});
