import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, openAsBlob } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specHeader } from '../../test-kit/gateway-download';
import { PORTAL_ORIGIN, sha256, startTestNode, upload, type TestNode } from '../test/node-harness';

let t: TestNode;
beforeAll(async () => {
  t = await startTestNode();
});
afterAll(() => t.close());

const staging = () => readdir(join(t.docroot, '.courier-staging'));

describe('POST /v3/upload', () => {
  it('stores empty, 1-byte, nested, Unicode and quote-bearing files whose SHA-256 match', async () => {
    const spec = await t.uploadSpec('/Upload/p1');
    const files = [
      { name: 'empty.bin', data: new Blob([]) },
      { name: 'one.bin', data: new Blob([Buffer.from([7])]) },
      { name: 'Folder/sub/deep.txt', data: new Blob(['deep']) },
      { name: 'été "q" 日本.txt', data: new Blob([randomBytes(5000)]) },
    ];
    const res = await upload(t, spec, files, { origin: PORTAL_ORIGIN });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('access-control-allow-origin')).toBe(PORTAL_ORIGIN);
    const body = await res.json();
    expect(body.files).toEqual([
      '/Upload/p1/empty.bin',
      '/Upload/p1/one.bin',
      '/Upload/p1/Folder/sub/deep.txt',
      '/Upload/p1/été "q" 日本.txt',
    ]);
    for (const file of files) {
      const stored = await readFile(join(t.docroot, 'Upload/p1', file.name));
      expect(sha256(stored)).toBe(sha256(Buffer.from(await file.data.arrayBuffer())));
    }
    expect(await staging()).toEqual([]);
  });

  it('round-trips 100 MB with matching SHA-256, streamed both ways', async () => {
    const source = join(t.dir, 'big.bin');
    const chunk = randomBytes(1024 * 1024);
    const hash = createHash('sha256');
    const parts: Buffer[] = [];
    for (let i = 0; i < 100; i++) {
      chunk[0] = i;
      parts.push(Buffer.from(chunk));
      hash.update(chunk);
    }
    await writeFile(source, parts);
    parts.length = 0;
    const expected = hash.digest('hex');
    const spec = await t.uploadSpec('/Big');
    const res = await upload(t, spec, [{ name: 'big.bin', data: await openAsBlob(source) }]);
    expect(res.status).toBe(200);
    const down = await t.downloadSpec(['/Big/big.bin']);
    const get = await fetch(t.node.gatewayUrl + '/v3/download', { headers: { 'x-aspera-spec': specHeader(down) } });
    expect(get.headers.get('content-length')).toBe(String(100 * 1024 * 1024));
    const downloaded = createHash('sha256');
    for await (const piece of get.body as unknown as AsyncIterable<Uint8Array>) downloaded.update(piece);
    expect(downloaded.digest('hex')).toBe(expected);
    const onDisk = createHash('sha256');
    for await (const piece of createReadStream(join(t.docroot, 'Big/big.bin'))) onDisk.update(piece as Buffer);
    expect(onDisk.digest('hex')).toBe(expected);
  });

  it('replaces an existing file by default (overwrite "diff") but not with overwrite "never"', async () => {
    await mkdir(join(t.docroot, 'Keep'), { recursive: true });
    await writeFile(join(t.docroot, 'Keep/a.txt'), 'original');
    const spec = await t.uploadSpec('/Keep');
    const never = await upload(t, { ...spec, overwrite: 'never' }, [{ name: 'a.txt', data: new Blob(['new']) }]);
    expect(never.status).toBe(409);
    expect(await never.json()).toEqual({ code: 409, message: expect.stringContaining('overwrite policy') });
    expect(await readFile(join(t.docroot, 'Keep/a.txt'), 'utf8')).toBe('original');
    const diff = await upload(t, spec, [{ name: 'a.txt', data: new Blob(['new']) }]);
    expect(diff.status).toBe(200);
    expect(await readFile(join(t.docroot, 'Keep/a.txt'), 'utf8')).toBe('new');
  });

  it('refuses a file whose bytes differ from its Content-Length part, leaving nothing behind', async () => {
    const spec = await t.uploadSpec('/Sizes');
    const form = new FormData();
    form.append('x-aspera-spec', JSON.stringify({ ...spec, paths: [{ source: 'a.bin' }] }));
    form.append('Content-Length', '10');
    form.append('file', new Blob(['12345']), 'a.bin');
    const res = await fetch(t.node.gatewayUrl + '/v3/upload', { method: 'POST', body: form });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/announced/);
    expect(await readdir(t.docroot)).not.toContain('Sizes');
    expect(await staging()).toEqual([]);
  });

  it('keeps every file of a request or none: a bad second file discards the first', async () => {
    const spec = await t.uploadSpec('/AllOrNone');
    const form = new FormData();
    form.append('x-aspera-spec', JSON.stringify({ ...spec, paths: [{ source: 'ok.txt' }, { source: '../evil.txt' }] }));
    form.append('Content-Length', '2');
    form.append('file', new Blob(['ok']), 'ok.txt');
    form.append('Content-Length', '4');
    form.append('file', new Blob(['evil']), '../evil.txt');
    const res = await fetch(t.node.gatewayUrl + '/v3/upload', { method: 'POST', body: form });
    expect(res.status).toBe(403);
    expect(await readdir(t.docroot)).not.toContain('AllOrNone');
    expect(await staging()).toEqual([]);
  });

  it('stores hundreds of files across new nested folders in one request; a name given twice keeps the later bytes', async () => {
    const spec = await t.uploadSpec('/Many');
    const files = Array.from({ length: 300 }, (_, i) => ({
      name: `f${i % 3}/sub${i % 2}/file-${i}.txt`,
      data: new Blob([`content ${i}`]),
    }));
    files.push({ name: 'f0/sub0/file-0.txt', data: new Blob(['the later bytes']) });
    const res = await upload(t, spec, files);
    expect(res.status).toBe(200);
    expect((await res.json()).files).toHaveLength(301);
    for (let i = 1; i < 300; i += 37) {
      expect(await readFile(join(t.docroot, 'Many', `f${i % 3}/sub${i % 2}/file-${i}.txt`), 'utf8')).toBe(`content ${i}`);
    }
    expect(await readFile(join(t.docroot, 'Many/f0/sub0/file-0.txt'), 'utf8')).toBe('the later bytes');
    expect((await readdir(join(t.docroot, 'Many/f1/sub1'))).length).toBe(50);
    expect(await staging()).toEqual([]);
  });

  it('refuses a whole request when a later file of a folder already seen leads out through a link', async () => {
    await mkdir(join(t.docroot, 'Linked/own'), { recursive: true });
    await mkdir(join(t.docroot, 'Elsewhere'), { recursive: true });
    await symlink(join(t.docroot, 'Elsewhere'), join(t.docroot, 'Linked/own/out'));
    const spec = await t.uploadSpec('/Linked/own');
    const res = await upload(t, spec, [
      { name: 'a.txt', data: new Blob(['a']) },
      { name: 'b.txt', data: new Blob(['b']) },
      { name: 'out/c.txt', data: new Blob(['c']) },
    ]);
    expect(res.status).toBe(403);
    expect(await readdir(join(t.docroot, 'Linked/own'))).toEqual(['out']);
    expect(await readdir(join(t.docroot, 'Elsewhere'))).toEqual([]);
    expect(await staging()).toEqual([]);
  });

  it('accepts the token as Authorization: Bearer when the spec carries none', async () => {
    const { token, ...spec } = await t.uploadSpec('/Bearer');
    const res = await upload(t, spec, [{ name: 'b.txt', data: new Blob(['b']) }], { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
  });

  it('records the upload in /ops/transfers with its bytes and files', async () => {
    const spec = await t.uploadSpec('/Recorded', { tags: { portal: { share: 's1' } } });
    // The browser carries the spec: tags it rewrites must not relabel the record.
    const res = await upload(t, { ...spec, tags: { portal: { share: 'forged' } } }, [{ name: 'r.txt', data: new Blob(['recorded!']) }]);
    const { transfer_id } = await res.json();
    const transfer = await t.apiJson(`/ops/transfers/${transfer_id}`);
    expect(transfer).toMatchObject({
      id: transfer_id,
      status: 'completed',
      bytes_transferred: 9,
      files_completed: 1,
      start_spec: { direction: 'send', destination_path: '/Recorded', tags: { portal: { share: 's1' } } },
      files: [{ path: '/Recorded/r.txt', status: 'completed', size: 9, bytes_written: 9 }],
      error_code: 0,
    });
    expect(transfer.end_time_usec).toBeGreaterThanOrEqual(transfer.start_time_usec);
    expect(transfer.start_time_usec).toBeGreaterThan(Date.now() * 1000 - 60e6);
  });
});
