/**
 * Paging through a 100,000-entry folder: nothing missed or repeated, and the folder read once for
 * all its pages (the cached listing), whatever the order. How fast a page is, is bench/'s to say.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import * as fsPromises from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { specHeader } from '../../test-kit/gateway-download';
import { startTestNode, type TestNode } from './node-harness';

// Counts the node's folder reads; the node runs in this process, so its readdir is this one.
vi.mock('node:fs/promises', async (original) => {
  const actual = await original<typeof fsPromises>();
  return { ...actual, readdir: vi.fn(actual.readdir) };
});
const readsOf = (dir: string) => vi.mocked(fsPromises.readdir).mock.calls.filter(([path]) => String(path).endsWith(dir)).length;

const ENTRIES = 100_000;
let t: TestNode;

beforeAll(async () => {
  t = await startTestNode();
  const dir = join(t.docroot, 'huge');
  await mkdir(dir);
  // xargs touch creates the entries about three times faster than fs calls from the test.
  execFileSync('sh', ['-c', `seq -f 'file-%06g.txt' 0 ${ENTRIES - 1} | xargs touch`], { cwd: dir });
}, 120_000);
afterAll(async () => {
  // rm(1) removes 100,000 files several times faster than fs.rm from the test process.
  execFileSync('rm', ['-rf', join(t.docroot, 'huge')]);
  await t.close();
});

async function browse(body: Record<string, unknown>) {
  return t.apiJson('/files/browse', { path: '/huge', ...body });
}

describe('browse of a 100,000-entry folder', () => {
  it('pages through every entry exactly once, in order, reading the folder once', async () => {
    const seen: string[] = [];
    const readsBefore = readsOf('/huge');
    for (let skip = 0; ;) {
      const res = await browse({ skip, count: 1000 });
      expect(res.total_count).toBe(ENTRIES);
      seen.push(...res.items.map((i: { basename: string }) => i.basename));
      skip += res.items.length;
      if (res.items.length === 0 || skip >= res.total_count) break;
    }
    expect(seen).toHaveLength(ENTRIES);
    expect(new Set(seen).size).toBe(ENTRIES);
    expect(seen[0]).toBe('file-000000.txt');
    expect(seen[ENTRIES - 1]).toBe('file-099999.txt');
    // The first page reads the folder; the other 99 come from the cached listing.
    expect(readsOf('/huge') - readsBefore).toBe(1);
  }, 60_000);

  it('answers any page from the cached listing, caps count at 1,000, and also pages a size order', async () => {
    const readsBefore = readsOf('/huge');
    const res = await browse({ skip: 73_456, count: 5000 });
    expect(res.items).toHaveLength(1000);
    expect(res.items[0].basename).toBe('file-073456.txt');
    await browse({ skip: 0, count: 1, sort: 'size_d' });
    const sized = await browse({ skip: 50_000, count: 1000, sort: 'size_d' });
    expect(sized.items).toHaveLength(1000);
    expect(readsOf('/huge') - readsBefore).toBe(0);
  });

  it('refuses to zip it whole, with a clear error', async () => {
    const spec = await t.downloadSpec(['/huge']);
    const res = await fetch(t.node.gatewayUrl + '/v3/download', { headers: { 'x-aspera-spec': specHeader(spec) } });
    expect(res.status).toBe(413);
    expect((await res.json()).message).toMatch(/Too many entries/);
  });

  it('sees a new entry on the next call', async () => {
    await (await open(join(t.docroot, 'huge/zzz-new.txt'), 'w')).close();
    const res = await browse({ skip: ENTRIES, count: 10 });
    expect(res.total_count).toBe(ENTRIES + 1);
    expect(res.items.map((i: { basename: string }) => i.basename)).toEqual(['zzz-new.txt']);
  });
});
