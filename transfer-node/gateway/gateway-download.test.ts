import { randomBytes } from 'node:crypto';
import { readdirSync, readlinkSync } from 'node:fs';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specHeader } from '../../test-kit/gateway-download';
import { PORTAL_ORIGIN, sha256, startTestNode, waitFor, type TestNode } from '../test/node-harness';
import { zipEntries } from '../test/zip-reader';

let t: TestNode;
const report = Buffer.from(Array.from({ length: 50_000 }, (_, i) => i % 251));
beforeAll(async () => {
  t = await startTestNode();
  await mkdir(join(t.docroot, 'Outbox/proj/nested/empty'), { recursive: true });
  await writeFile(join(t.docroot, 'Outbox/report (final) é.pdf'), report);
  await writeFile(join(t.docroot, 'Outbox/proj/a.txt'), 'alpha');
  await writeFile(join(t.docroot, 'Outbox/proj/nested/b.txt'), 'bravo');
  await writeFile(join(t.docroot, 'Outbox/other.txt'), 'other');
});
afterAll(() => t.close());

const download = (spec: Record<string, unknown>, headers: Record<string, string> = {}, signal?: AbortSignal) =>
  fetch(t.node.gatewayUrl + '/v3/download', { headers: { 'x-aspera-spec': specHeader(spec), ...headers }, signal });

describe('GET /v3/download', () => {
  it('streams one file with exact Content-Length and an ASCII attachment name', async () => {
    const spec = await t.downloadSpec(['/Outbox/report (final) é.pdf']);
    const res = await download(spec, { origin: PORTAL_ORIGIN });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(report.length));
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="report (final) e.pdf"');
    expect(res.headers.get('access-control-expose-headers')).toContain('Content-Disposition');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(report));
  });

  it('is never kept by a browser cache: every answer of the one URL is for its own spec', async () => {
    const file = await download(await t.downloadSpec(['/Outbox/other.txt']));
    expect(file.headers.get('last-modified')).toBeTruthy();
    expect(file.headers.get('cache-control')).toBe('no-store');
    expect(await file.text()).toBe('other');
    const zip = await download(await t.downloadSpec(['/Outbox/other.txt', '/Outbox/proj/a.txt']));
    expect(zip.headers.get('cache-control')).toBe('no-store');
    expect(zip.headers.get('content-type')).toBe('application/zip');
    await zip.arrayBuffer();
  });

  it('sends a folder as a zip whose entries match, named after download_name', async () => {
    const spec = await t.downloadSpec(['/Outbox/proj']);
    const res = await download({ ...spec, zip_required: true, download_name: 'bundle' });
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="bundle.zip"');
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('content-length')).toBe(String(body.length));
    expect(await zipEntries(body)).toEqual({
      'proj/': '<dir>',
      'proj/a.txt': 'alpha',
      'proj/nested/': '<dir>',
      'proj/nested/b.txt': 'bravo',
      'proj/nested/empty/': '<dir>',
    });
  });

  it('gives a zip of 1,500 files (central directory over 64 KiB) its exact Content-Length', async () => {
    await mkdir(join(t.docroot, 'Outbox/many'));
    for (let i = 0; i < 1500; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) => writeFile(join(t.docroot, `Outbox/many/file-number-${i + j}.txt`), String(i + j))),
      );
    }
    const spec = await t.downloadSpec(['/Outbox/many']);
    const res = await download(spec);
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('content-length')).toBe(String(body.length));
    const entries = await zipEntries(body);
    expect(Object.keys(entries)).toHaveLength(1501);
    expect(entries['many/file-number-1499.txt']).toBe('1499');
  });

  it('zips several paths into download.zip by default', async () => {
    const spec = await t.downloadSpec(['/Outbox/other.txt', '/Outbox/proj/a.txt']);
    const res = await download(spec);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="download.zip"');
    expect(await zipEntries(Buffer.from(await res.arrayBuffer()))).toEqual({ 'other.txt': 'other', 'a.txt': 'alpha' });
  });

  it('serves what a folder token covers and refuses the rest', async () => {
    const spec = await t.downloadSpec(['/Outbox/proj']);
    const inside = await download({ ...spec, paths: [{ source: '/Outbox/proj/nested/b.txt' }] });
    expect(await inside.text()).toBe('bravo');
    const outside = await download({ ...spec, paths: [{ source: '/Outbox/other.txt' }] }, { origin: PORTAL_ORIGIN });
    expect(outside.status).toBe(403);
    expect(outside.headers.get('access-control-allow-origin')).toBe(PORTAL_ORIGIN);
    expect(await outside.json()).toEqual({ code: 403, message: 'The token does not cover /Outbox/other.txt' });
  });

  it('records downloads in /ops/transfers with the tags and cookie given at setup', async () => {
    const spec = await t.downloadSpec(['/Outbox/other.txt'], { tags: { portal: { transfer: 't1' } }, cookie: 'c1' });
    const res = await download({ ...spec, tags: { portal: { transfer: 'forged' } }, cookie: 'forged' });
    await res.text();
    const id = res.headers.get('x-transfer-id') as string;
    // The record is finished when the response ends on the node's side, which may trail our read.
    await waitFor(async () => (await t.apiJson(`/ops/transfers/${id}`)).status === 'completed');
    expect(await t.apiJson(`/ops/transfers/${id}`)).toMatchObject({
      status: 'completed',
      bytes_transferred: 5,
      start_spec: { direction: 'receive', tags: { portal: { transfer: 't1' } }, cookie: 'c1' },
    });
  });

  it('ends a download the client drops half-way: recorded failed with what the socket took, the file closed', async () => {
    const big = randomBytes(48 * 1024 * 1024);
    await writeFile(join(t.docroot, 'Outbox/big.bin'), big);
    const abort = new AbortController();
    const res = await download(await t.downloadSpec(['/Outbox/big.bin']), {}, abort.signal);
    const id = res.headers.get('x-transfer-id') as string;
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(sha256(Buffer.from(first.value as Uint8Array))).toBe(sha256(big.subarray(0, first.value?.length)));
    abort.abort();
    const record = await waitFor(async () => {
      const r = await t.apiJson(`/ops/transfers/${id}`);
      return r.status !== 'running' && r;
    });
    expect(record).toMatchObject({ status: 'failed', error_code: 499 });
    expect(record.bytes_transferred).toBeGreaterThan(0);
    expect(record.bytes_transferred).toBeLessThan(big.length);
    // No descriptor of this process is left on the file (the node runs in it).
    const openOnFile = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`).endsWith('/Outbox/big.bin');
        } catch {
          return false;
        }
      }).length;
    await waitFor(async () => openOnFile() === 0);
  });
});

describe('a refused request', () => {
  const tagged = async (tag: string) =>
    (
      (await t.apiJson('/ops/transfers?view=summary&count=1000')) as Array<{
        status: string;
        error_desc: string;
        start_spec?: { tags?: unknown };
      }>
    ).filter((r) => JSON.stringify(r.start_spec?.tags ?? null).includes(tag));

  it('is recorded as failed, with the reason, under the tags its token carries, when this node sealed the token', async () => {
    const upload = await t.uploadSpec('/Outbox', { tags: { portal: { transfer: 'refused-1' } } });
    // An upload token where a download is asked: 403, the token's own transfer learns why.
    const res = await download({ ...upload, direction: 'receive', paths: [{ source: '/Outbox/other.txt' }] });
    expect(res.status).toBe(403);
    expect(await tagged('refused-1')).toEqual([
      expect.objectContaining({ status: 'failed', error_desc: 'An upload token cannot be used to download' }),
    ]);
  });

  it("leaves no record when the token is not one this node sealed: its tags would be anyone's", async () => {
    const spec = await t.downloadSpec(['/Outbox/other.txt']);
    const forged = { ...spec, token: String(spec.token).slice(0, -12) + 'AAAAAAAAAAAA', tags: { portal: { transfer: 'forged-1' } } };
    expect((await download(forged)).status).toBe(401);
    expect(await tagged('forged-1')).toEqual([]);
  });
});

describe('POST /v3/presign and the signed URL', () => {
  it('returns a self-authorizing URL that answers Range requests so a download can resume', async () => {
    const spec = await t.downloadSpec(['/Outbox/report (final) é.pdf']);
    const presign = await fetch(t.node.gatewayUrl + '/v3/presign', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: PORTAL_ORIGIN },
      body: JSON.stringify({ transfer_spec: spec, method: 'GET', protocol: 'http', headers: { host: 'evil.example' } }),
    });
    expect(presign.status).toBe(200);
    const { signed_url } = await presign.json();
    expect(signed_url.startsWith(t.node.gatewayUrl + '/v3/signed/')).toBe(true);
    const first = await fetch(signed_url, { headers: { range: 'bytes=0-9999' } });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-9999/${report.length}`);
    expect(first.headers.get('content-length')).toBe('10000');
    const head = Buffer.from(await first.arrayBuffer());
    const rest = await fetch(signed_url, { headers: { range: 'bytes=10000-' } });
    expect(rest.status).toBe(206);
    const tail = Buffer.from(await rest.arrayBuffer());
    expect(sha256(Buffer.concat([head, tail]))).toBe(sha256(report));
    const whole = await fetch(signed_url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    // The browser's download manager reads this one: RFC 6266 filename* keeps the exact name.
    expect(whole.headers.get('content-disposition')).toBe(
      `attachment; filename="report (final) e.pdf"; filename*=UTF-8''report%20%28final%29%20%C3%A9.pdf`,
    );
    await whole.arrayBuffer();
    const bad = await fetch(signed_url, { headers: { range: `bytes=${report.length}-` } });
    expect(bad.status).toBe(416);
  });

  it('resumes a signed download only while the file is unchanged (If-Range), and answers suffix and odd ranges', async () => {
    const data = Buffer.from(Array.from({ length: 30_000 }, (_, i) => (i * 7) % 256));
    await writeFile(join(t.docroot, 'Outbox/resume.bin'), data);
    const spec = await t.downloadSpec(['/Outbox/resume.bin']);
    const presign = await fetch(t.node.gatewayUrl + '/v3/presign', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ transfer_spec: spec }),
    });
    const { signed_url } = await presign.json();
    const first = await fetch(signed_url, { headers: { origin: PORTAL_ORIGIN } });
    const etag = first.headers.get('etag') ?? '';
    const lastModified = first.headers.get('last-modified') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+"$/);
    expect(new Date(lastModified).getTime()).toBeGreaterThan(0);
    expect(first.headers.get('access-control-expose-headers')).toContain('ETag');
    const head = Buffer.from(await first.arrayBuffer()).subarray(0, 12_345);

    // The browser's download manager resumes with the validator it saw: the rest, 206.
    const rest = await fetch(signed_url, { headers: { range: 'bytes=12345-', 'if-range': etag } });
    expect(rest.status).toBe(206);
    expect(rest.headers.get('content-range')).toBe(`bytes 12345-29999/${data.length}`);
    expect(sha256(Buffer.concat([head, Buffer.from(await rest.arrayBuffer())]))).toBe(sha256(data));
    // A date vouches only for a file older than its one-second resolution.
    const older = new Date(Date.now() - 60_000);
    await utimes(join(t.docroot, 'Outbox/resume.bin'), older, older);
    const dated = await fetch(signed_url);
    await dated.arrayBuffer();
    const byDate = await fetch(signed_url, { headers: { range: 'bytes=12345-', 'if-range': dated.headers.get('last-modified') ?? '' } });
    expect(byDate.status).toBe(206);
    await byDate.arrayBuffer();
    const fresh = await fetch(signed_url, { headers: { range: 'bytes=12345-', 'if-range': lastModified } });
    expect(fresh.status).toBe(200);
    await fresh.arrayBuffer();
    const suffix = await fetch(signed_url, { headers: { range: 'bytes=-100' } });
    expect(suffix.headers.get('content-range')).toBe(`bytes 29900-29999/${data.length}`);
    expect(Buffer.from(await suffix.arrayBuffer()).equals(data.subarray(29_900))).toBe(true);
    const past = await fetch(signed_url, { headers: { range: 'bytes=29000-99999' } });
    expect(past.headers.get('content-range')).toBe(`bytes 29000-29999/${data.length}`);
    await past.arrayBuffer();
    // Several ranges are answered with the whole file rather than a multipart body.
    const several = await fetch(signed_url, { headers: { range: 'bytes=0-1,5-6' } });
    expect(several.status).toBe(200);
    expect(Buffer.from(await several.arrayBuffer()).length).toBe(data.length);

    // The file changed since: the whole new file, never its tail spliced onto the old bytes.
    const changed = Buffer.alloc(31_000, 9);
    await writeFile(join(t.docroot, 'Outbox/resume.bin'), changed);
    const stale = await fetch(signed_url, { headers: { range: 'bytes=12345-', 'if-range': etag } });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('etag')).not.toBe(etag);
    expect(sha256(Buffer.from(await stale.arrayBuffer()))).toBe(sha256(changed));
    const staleDate = await fetch(signed_url, { headers: { range: 'bytes=12345-', 'if-range': 'Thu, 01 Jan 1970 00:00:00 GMT' } });
    expect(staleDate.status).toBe(200);
    await staleDate.arrayBuffer();
  });

  it('names a signed zip after download_name, Unicode and punctuation kept in filename*', async () => {
    await writeFile(join(t.docroot, 'Outbox/été "q".dat'), 'quoted');
    const spec = await t.downloadSpec(['/Outbox/proj', '/Outbox/été "q".dat']);
    const presign = await fetch(t.node.gatewayUrl + '/v3/presign', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ transfer_spec: { ...spec, zip_required: true, download_name: 'Équipe "Nord" 2026-12-01' } }),
    });
    const { signed_url } = await presign.json();
    const zip = await fetch(signed_url);
    const disposition = zip.headers.get('content-disposition') ?? '';
    expect(disposition).toBe(
      `attachment; filename="Equipe _Nord_ 2026-12-01.zip"; filename*=UTF-8''%C3%89quipe%20%22Nord%22%202026-12-01.zip`,
    );
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe('Équipe "Nord" 2026-12-01.zip');
    expect(await zipEntries(Buffer.from(await zip.arrayBuffer()))).toMatchObject({ 'été "q".dat': 'quoted', 'proj/a.txt': 'alpha' });
    // A download_name that tries to be a path stays a name.
    const sneaky = await fetch(t.node.gatewayUrl + '/v3/download', {
      headers: {
        'x-aspera-spec': specHeader({ ...(await t.downloadSpec(['/Outbox/proj'])), zip_required: true, download_name: '../../etc/x' }),
      },
    });
    expect(sneaky.headers.get('content-disposition')).toBe('attachment; filename=".._.._etc_x.zip"');
    await sneaky.arrayBuffer();
  });

  it('refuses a tampered signed URL and a presign without a valid token', async () => {
    const spec = await t.downloadSpec(['/Outbox/other.txt']);
    const res = await fetch(t.node.gatewayUrl + '/v3/presign', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ transfer_spec: spec }),
    });
    const { signed_url } = await res.json();
    const tampered = signed_url.slice(0, -3) + (signed_url.endsWith('AAA') ? 'BBB' : 'AAA');
    const denied = await fetch(tampered);
    expect(denied.status).toBe(401);
    const noToken = await fetch(t.node.gatewayUrl + '/v3/presign', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ transfer_spec: { ...spec, token: undefined } }),
    });
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toEqual({ code: 401, message: 'A transfer token is required' });
  });
});

describe('gateway /info and CORS', () => {
  it('answers /info with a numeric v3 version', async () => {
    const res = await fetch(t.node.gatewayUrl + '/info', { headers: { origin: PORTAL_ORIGIN } });
    expect(await res.json()).toMatchObject({
      version: expect.stringMatching(/^3\.\d+\.\d+$/),
      upload_endpoint: [],
      download_endpoint: [],
      endpoints: [],
    });
    expect(res.headers.get('access-control-allow-origin')).toBe(PORTAL_ORIGIN);
  });

  it('answers preflights for the portal origin and refuses other origins', async () => {
    for (const path of ['/v3/upload', '/v3/download', '/v3/presign']) {
      const res = await fetch(t.node.gatewayUrl + path, {
        method: 'OPTIONS',
        headers: {
          origin: PORTAL_ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,x-aspera-spec',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(PORTAL_ORIGIN);
      expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization.*X-Aspera-Spec/);
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    }
    const other = await fetch(t.node.gatewayUrl + '/v3/upload', {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(t.node.gatewayUrl + '/info', { headers: { origin: 'http://evil.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
    const missing = await fetch(t.node.gatewayUrl + '/v3/nope', { headers: { origin: PORTAL_ORIGIN } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe(PORTAL_ORIGIN);
    expect(await missing.json()).toEqual({ message: 'Not found', code: 404 });
  });
});
