/**
 * File names planted on disk that a zip or the Node API cannot carry as they are (issue 10,
 * item 9): each folder zip still answers 200, carries every other file, and lists what it left out
 * with the reason; a name that is not UTF-8 is listed with its real size and marked.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specHeader } from '../../test-kit/gateway-download';
import { startTestNode, type TestNode } from './node-harness';
import { zipEntries } from './zip-reader';

interface Case {
  name: string;
  /** Names (bytes allowed) created in the case's folder: files hold 12 bytes, folders one file. */
  files: (string | Buffer)[];
  folders?: (string | Buffer)[];
  /** Zip entry paths (below the case folder) expected to be carried. */
  carried: string[];
  /** Substrings of the skipped list expected, one per skipped item. */
  skipped: string[];
}

const NOT_UTF8 = Buffer.from([0x72, 0x65, 0x70, 0xff, 0xfe, 0x2e, 0x74, 0x78, 0x74]); // "rep\xff\xfe.txt"
const TWELVE = 'twelve bytes';

const cases: Case[] = [
  {
    name: 'backslash traversal name',
    files: ['a\\..\\..\\evil.txt', 'ok.txt'],
    carried: ['ok.txt'],
    skipped: ['a\\\\..\\\\..\\\\evil.txt'],
  },
  { name: 'plain backslash name', files: ['dir\\file.txt', 'ok.txt'], carried: ['ok.txt'], skipped: ['dir\\\\file.txt'] },
  { name: 'name that is not UTF-8', files: [NOT_UTF8, 'ok.txt'], carried: ['ok.txt'], skipped: ['not valid UTF-8'] },
  {
    name: 'folder whose name is not UTF-8',
    files: ['ok.txt'],
    folders: [Buffer.from([0x64, 0xe9, 0x6a, 0xe0])],
    carried: ['ok.txt'],
    skipped: ['not valid UTF-8'],
  },
  {
    name: 'folder with a backslash traversal name',
    files: ['ok.txt'],
    folders: ['..\\..\\up'],
    carried: ['ok.txt'],
    skipped: ['..\\\\..\\\\up'],
  },
  {
    name: 'control characters and quotes are carried',
    files: ['line\nbreak "q".txt', 'ok.txt'],
    carried: ['line\nbreak "q".txt', 'ok.txt'],
    skipped: [],
  },
];

let t: TestNode;
const dirOf = (i: number) => `Odd/case-${i}`;

beforeAll(async () => {
  t = await startTestNode();
  for (const [i, c] of cases.entries()) {
    const dir = join(t.docroot, dirOf(i));
    await mkdir(dir, { recursive: true });
    const at = (name: string | Buffer) => (typeof name === 'string' ? join(dir, name) : Buffer.concat([Buffer.from(dir + '/'), name]));
    for (const name of c.files) await writeFile(at(name), TWELVE);
    for (const name of c.folders ?? []) {
      await mkdir(at(name));
      await writeFile(Buffer.concat([Buffer.from(at(name)), Buffer.from('/inside.txt')]), TWELVE);
    }
  }
});
afterAll(() => t.close());

describe('odd file names in folder zips', () => {
  it.each(cases.map((c, i) => ({ ...c, i })))('carries or skips with a reason: $name', async ({ i, carried, skipped }) => {
    const spec = await t.downloadSpec([`/${dirOf(i)}`]);
    const res = await fetch(t.node.gatewayUrl + '/v3/download', {
      headers: { 'x-aspera-spec': specHeader({ ...spec, zip_required: true }) },
    });
    expect(res.status).toBe(200);
    const entries = await zipEntries(Buffer.from(await res.arrayBuffer()));
    const folder = `case-${i}`;
    for (const name of carried) expect(entries[`${folder}/${name}`], name).toBe(TWELVE);
    const list = entries['courier-skipped-files.txt'];
    if (skipped.length === 0) {
      expect(list).toBeUndefined();
      expect(res.headers.get('x-courier-skipped-files')).toBeNull();
    } else {
      expect(res.headers.get('x-courier-skipped-files')).toBe(String(skipped.length));
      for (const text of skipped) expect(list).toContain(text);
    }
    // Only what was carried, the folder and the list: nothing renamed into something else.
    const expected = [`${folder}/`, ...carried.map((n) => `${folder}/${n}`), ...(skipped.length ? ['courier-skipped-files.txt'] : [])];
    expect(Object.keys(entries).sort()).toEqual(expected.sort());
  });

  it('a top-level item named like a Windows drive is skipped with a reason, not a 500', async () => {
    await mkdir(join(t.docroot, 'Odd/C:drive'), { recursive: true });
    await writeFile(join(t.docroot, 'Odd/C:drive/x.txt'), TWELVE);
    const spec = await t.downloadSpec(['/Odd/C:drive', `/${dirOf(0)}/ok.txt`]);
    const res = await fetch(t.node.gatewayUrl + '/v3/download', { headers: { 'x-aspera-spec': specHeader(spec) } });
    expect(res.status).toBe(200);
    const entries = await zipEntries(Buffer.from(await res.arrayBuffer()));
    expect(entries['ok.txt']).toBe(TWELVE);
    expect(entries['courier-skipped-files.txt']).toContain('"C:drive": the name starts like a Windows drive');
  });
});

describe('a name that is not UTF-8 in a listing', () => {
  it('is listed with its real size and time, marked, and without permissions, in every sort', async () => {
    for (const sort of ['path', 'size_d', 'mtime_a']) {
      const res = await t.apiJson('/files/browse', { path: `/${dirOf(2)}`, sort });
      const odd = res.items.find((e: { basename: string }) => e.basename.includes('\ufffd'));
      expect(odd).toMatchObject({ basename: 'rep\ufffd\ufffd.txt', type: 'file', size: 12, permissions: [], name_not_utf8: true });
      expect(odd.mtime).not.toBe('1970-01-01T00:00:00.000Z');
      const ok = res.items.find((e: { basename: string }) => e.basename === 'ok.txt');
      expect(ok.name_not_utf8).toBeUndefined();
    }
  });
});
