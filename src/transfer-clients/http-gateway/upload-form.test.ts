// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { buildUploadForm, fileBytesSent } from './upload-form';

const file = (name: string, text: string, type = 'text/plain') => new File([text], name, { type });

describe('buildUploadForm (docs/http-gateway.md §3.1)', () => {
  it('puts the spec first, then Content-Length and file per path, in order, file names = relative paths', () => {
    const spec = {
      direction: 'send',
      token: 'ATM',
      destination_root: '/Up',
      paths: [{ destination: '/Up' }],
      tags: { courier: { transfer_id: 't1' } },
    };
    const sources = [
      { file: file('report.txt', 'hello world'), path: 'report.txt' },
      { file: file('été "q".txt', 'x'.repeat(1000)), path: 'folder/sub/été "q".txt' },
      { file: file('empty.bin', '', ''), path: 'folder/empty.bin' },
    ];
    const { form, transferSpec, fileBytes } = buildUploadForm(spec, sources);
    const entries = [...form.entries()];
    expect(entries.map(([name]) => name)).toEqual([
      'x-aspera-spec',
      'Content-Length',
      'file',
      'Content-Length',
      'file',
      'Content-Length',
      'file',
    ]);
    const sent = JSON.parse(entries[0]![1] as string);
    expect(sent).toEqual({ ...spec, paths: sources.map((s) => ({ source: s.path, destination: s.path })) });
    expect(transferSpec).toEqual(sent);
    expect(entries.filter(([n]) => n === 'Content-Length').map(([, v]) => v)).toEqual(['11', '1000', '0']);
    const files = entries.filter(([n]) => n === 'file').map(([, v]) => v as File);
    expect(files.map((f) => f.name)).toEqual(sources.map((s) => s.path));
    expect(files.map((f) => f.size)).toEqual([11, 1000, 0]);
    expect(fileBytes).toBe(1011);
    expect(spec.paths).toEqual([{ destination: '/Up' }]); // the portal's spec is not mutated
  });

  it('keeps a destination the portal gave for a source', () => {
    const spec = { paths: [{ source: 'a.txt', destination: 'renamed.txt' }] };
    const { transferSpec } = buildUploadForm(spec, [{ file: file('a.txt', 'a'), path: 'a.txt' }]);
    expect(transferSpec.paths).toEqual([{ source: 'a.txt', destination: 'renamed.txt' }]);
  });
});

describe('fileBytesSent', () => {
  it('scales body bytes to file bytes and clamps to [0, total]', () => {
    expect(fileBytesSent(0, 1200, 1000)).toBe(0);
    expect(fileBytesSent(600, 1200, 1000)).toBe(500);
    expect(fileBytesSent(1200, 1200, 1000)).toBe(1000);
    expect(fileBytesSent(5000, 1200, 1000)).toBe(1000);
    expect(fileBytesSent(-5, 1200, 1000)).toBe(0);
    expect(fileBytesSent(10, 0, 1000)).toBe(0);
    expect(fileBytesSent(Number.NaN, 10, 1000)).toBe(0);
  });
});
