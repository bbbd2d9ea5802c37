import { once } from 'node:events';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import busboy from 'busboy';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NodeError } from '../errors';
import { createTestContext, type TestContext } from '../test/node-context';
import { MULTIPART_LIMITS, receiveUpload } from './receive-upload';

// receiveUpload on a real HTTP request stream, over a real docroot (docs/reliability.md, "Mutation
// testing"): what lands on disk, what the record says, and each refusal with its reason, never a
// partial file under a final name.
let t: TestContext;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    receiveUpload(t.ctx, req, '203.0.113.9').then(
      (result) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
      (err: NodeError) =>
        res.writeHead(err.status ?? 500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: err.message })),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(async () => {
  t = await createTestContext();
});
afterEach(() => t.close());

type Part = { name: string; value: string | Buffer; filename?: string };
const BOUNDARY = '----CourierMutationTest';

function body(parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const type = part.filename === undefined ? '' : 'Content-Type: application/octet-stream\r\n';
    chunks.push(
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`),
      Buffer.from(part.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const spec = (fields: object): Part => ({ name: 'x-aspera-spec', value: JSON.stringify(fields) });
const file = (name: string, data: string, announced = Buffer.byteLength(data)): Part[] => [
  { name: 'Content-Length', value: String(announced) },
  { name: 'file', value: data, filename: name },
];
const paths = (...names: string[]) => names.map((n) => ({ source: n, destination: n }));

async function post(parts: Part[], headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    body: new Uint8Array(body(parts)),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
  });
  return { status: res.status, json: (await res.json()) as { message?: string; transferId?: string; files?: string[] } };
}

const staging = () => readdir(join(t.docroot, '.courier-staging'));
const onDisk = (...parts: string[]) => readFile(join(t.docroot, ...parts), 'utf8');
const records = () => t.ctx.transfers.list({ afterSeq: 0, count: 100 }).records;

describe('a complete upload', () => {
  it('lands every file under its final name, records the transfer and spends the token', async () => {
    const token = t.uploadToken('/In', { extra: { tags: { courier: { transfer_id: 'T1' } }, cookie: 'from-token' } });
    const res = await post([
      spec({ token, paths: paths('a.txt', 'sub/b.txt'), tags: { spoofed: true }, cookie: 'from-spec' }),
      ...file('a.txt', 'alpha'),
      ...file('sub/b.txt', ''),
    ]);
    expect(res.status).toBe(200);
    expect(res.json.files).toEqual(['/In/a.txt', '/In/sub/b.txt']);
    expect(await onDisk('In', 'a.txt')).toBe('alpha');
    expect(await onDisk('In', 'sub', 'b.txt')).toBe('');
    expect(await staging()).toEqual([]);
    const record = t.ctx.transfers.get(res.json.transferId as string);
    expect(record).toMatchObject({
      status: 'completed',
      direction: 'send',
      remoteHost: 'node.test',
      remoteUser: 'xfer',
      clientIp: '203.0.113.9',
      sourcePaths: ['a.txt', 'sub/b.txt'],
      destinationPath: '/In',
      tags: { courier: { transfer_id: 'T1' } },
      cookie: 'from-token',
      bytesExpected: 5,
      bytesTransferred: 5,
      filesExpected: 2,
      filesCompleted: 2,
    });
    expect(record?.files.map((f) => [f.path, f.size, f.bytesWritten, f.status])).toEqual([
      ['/In/a.txt', 5, 5, 'completed'],
      ['/In/sub/b.txt', 0, 0, 'completed'],
    ]);
    const again = await post([spec({ token, paths: paths('c.txt') }), ...file('c.txt', 'c')]);
    expect(again).toEqual({
      status: 403,
      json: { message: 'This upload token was already used; ask for a new authorization to upload again' },
    });
  });

  it("takes the spec's tags and cookie when the token has none, and the token from the Authorization header", async () => {
    const token = t.uploadToken('/In');
    const res = await post([spec({ paths: paths('a.txt'), tags: { mine: 1 }, cookie: 'c1' }), ...file('a.txt', 'x')], {
      authorization: `Bearer ${token}`,
    });
    expect(res.status).toBe(200);
    expect(t.ctx.transfers.get(res.json.transferId as string)).toMatchObject({ tags: { mine: 1 }, cookie: 'c1' });
    const none = await post([spec({ token: t.uploadToken('/In'), paths: paths('b.txt') }), ...file('b.txt', 'x')]);
    expect(t.ctx.transfers.get(none.json.transferId as string)).toMatchObject({ tags: null, cookie: null });
  });

  it("writes each file at its path's destination, else its source, else its part's file name", async () => {
    const token = t.uploadToken('/In');
    const res = await post([
      spec({ token, paths: [{ source: 'local/a.txt', destination: 'renamed.txt' }, { source: 'only-source.txt' }] }),
      ...file('ignored-1', 'one'),
      ...file('ignored-2', 'two'),
      ...file('say %22hi%22%0D%0a.txt', 'three'),
    ]);
    expect(res.status).toBe(400); // a CR or LF in a name is refused after it is decoded
    expect(res.json.message).toBe('Path contains control characters');
    const ok = await post([
      spec({ token: t.uploadToken('/In'), paths: [{ source: 'local/a.txt', destination: 'renamed.txt' }, { source: 'only-source.txt' }] }),
      ...file('ignored-1', 'one'),
      ...file('ignored-2', 'two'),
      ...file('say %22hi%22.txt', 'three'),
    ]);
    expect(ok.json.files).toEqual(['/In/renamed.txt', '/In/only-source.txt', '/In/say "hi".txt']);
    for (const escaped of ['a%0Db', 'a%0db', 'a%0Ab', 'a%0ab']) {
      const part = await post([spec({ token: t.uploadToken('/In'), paths: [] }), ...file(escaped, 'x')]);
      expect(part).toEqual({ status: 400, json: { message: 'Path contains control characters' } });
    }
    expect(await onDisk('In', 'say "hi".txt')).toBe('three');
  });

  it("keeps folders and UTF-8 in a part's file name when the spec lists no path for it", async () => {
    const res = await post([
      spec({ token: t.uploadToken('/In'), paths: [] }),
      ...file('sub/dir/\u00e9t\u00e9 \u65e5\u672c.txt', 'named by the part'),
    ]);
    expect(res.status).toBe(200);
    expect(res.json.files).toEqual(['/In/sub/dir/\u00e9t\u00e9 \u65e5\u672c.txt']);
    expect(await onDisk('In', 'sub', 'dir', '\u00e9t\u00e9 \u65e5\u672c.txt')).toBe('named by the part');
  });

  it('keeps the order of the body when a name is given twice', async () => {
    const res = await post([
      spec({ token: t.uploadToken('/In'), paths: paths('same.txt', 'same.txt', 'same.txt') }),
      ...file('same.txt', 'first'),
      ...file('same.txt', 'second'),
      ...file('same.txt', 'third'),
    ]);
    expect(res.status).toBe(200);
    expect(await onDisk('In', 'same.txt')).toBe('third');
  });

  it('under "never", a name given twice keeps the first file and refuses the second as existing', async () => {
    const res = await post([
      spec({ token: t.uploadToken('/In', { replace: false }), paths: paths('twice.txt', 'twice.txt') }),
      ...file('twice.txt', 'first'),
      ...file('twice.txt', 'second'),
    ]);
    expect(res).toEqual({ status: 409, json: { message: 'File already exists and the overwrite policy is "never"' } });
    expect(await staging()).toEqual([]);
  });

  it('records the first 1000 source paths of a spec that lists more', async () => {
    const listed = Array.from({ length: 1001 }, (_, i) => ({ source: `s${i}`, destination: 'only.txt' }));
    const res = await post([spec({ token: t.uploadToken('/In'), paths: listed }), ...file('only.txt', 'x')]);
    expect(res.status).toBe(200);
    const record = t.ctx.transfers.get(res.json.transferId as string);
    expect(record?.sourcePaths).toHaveLength(1000);
    expect(record?.sourcePaths[999]).toBe('s999');
  });

  it('commits many files, into one folder and several', async () => {
    const names = Array.from({ length: 20 }, (_, i) => (i % 2 ? `d${i % 3}/f${i}.txt` : `f${i}.txt`));
    const res = await post([spec({ token: t.uploadToken('/Many'), paths: paths(...names) }), ...names.flatMap((n) => file(n, n))]);
    expect(res.status).toBe(200);
    for (const n of names) expect(await onDisk('Many', n)).toBe(n);
  });
});

describe('refusals, each leaving nothing behind', () => {
  async function refused(parts: Part[], status: number, message: string, headers: Record<string, string> = {}) {
    const res = await post(parts, headers);
    expect(res).toEqual({ status, json: { message } });
    expect(await staging()).toEqual([]);
  }

  it('refuses a body that is not multipart', async () => {
    const res = await fetch(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ message: 'Expected a multipart/form-data body' });
  });

  it('requires the spec first, once, as JSON', async () => {
    const token = t.uploadToken('/In');
    await refused([...file('a.txt', 'a'), spec({ token })], 400, 'The first part must be x-aspera-spec');
    await refused([{ name: 'Content-Length', value: '1' }], 400, 'The first part must be x-aspera-spec');
    await refused([{ name: 'file', value: 'a', filename: 'a.txt' }], 400, 'The first part must be x-aspera-spec');
    await refused([spec({ token }), spec({ token })], 400, 'Only one x-aspera-spec part is allowed');
    await refused([{ name: 'x-aspera-spec', value: '{not json' }], 400, 'x-aspera-spec is not valid JSON');
    await refused([], 400, 'The body has no x-aspera-spec part');
  });

  it('refuses a spec without a valid upload token', async () => {
    await refused([spec({ paths: paths('a.txt') }), ...file('a.txt', 'a')], 401, 'A transfer token is required');
    await refused(
      [spec({ token: t.downloadToken(['/In']), paths: paths('a.txt') }), ...file('a.txt', 'a')],
      403,
      'A download token cannot be used to upload',
    );
    expect(records()).toEqual([]);
  });

  it('requires a decimal Content-Length before each file, and a file after each', async () => {
    for (const bad of ['12a', '-1', '1.5', '', ' 1', '1'.repeat(17)])
      await refused(
        [spec({ token: t.uploadToken('/In') }), { name: 'Content-Length', value: bad }, { name: 'file', value: 'a', filename: 'a' }],
        400,
        'Content-Length part must be a decimal byte count',
      );
    await refused(
      [spec({ token: t.uploadToken('/In') }), { name: 'file', value: 'a', filename: 'a.txt' }],
      400,
      'Each file part must follow a Content-Length part',
    );
    await refused(
      [spec({ token: t.uploadToken('/In') }), ...file('a.txt', 'a'), { name: 'file', value: 'b', filename: 'b.txt' }],
      400,
      'Each file part must follow a Content-Length part',
    );
    await refused(
      [spec({ token: t.uploadToken('/In') }), ...file('a.txt', 'a'), { name: 'Content-Length', value: '1' }],
      400,
      'A Content-Length part has no file',
    );
    await refused([spec({ token: t.uploadToken('/In') })], 400, 'The body has no file part');
    expect(await readdir(t.docroot)).toEqual(['.courier-staging']);
  });

  it('refuses parts it does not know', async () => {
    await refused([spec({ token: t.uploadToken('/In') }), { name: 'extra', value: 'x' }], 400, 'Unexpected part "extra"');
    await refused(
      [spec({ token: t.uploadToken('/In') }), { name: 'Content-Length', value: '1' }, { name: 'blob', value: 'a', filename: 'a.txt' }],
      400,
      'Unexpected file part "blob"',
    );
  });

  it('refuses a file of another size than announced, and records the failure', async () => {
    const token = t.uploadToken('/In');
    await refused(
      [spec({ token, paths: paths('a.txt') }), ...file('a.txt', 'abcdef', 5)],
      400,
      'File /In/a.txt is larger than its Content-Length',
    );
    await refused(
      [spec({ token, paths: paths('a.txt') }), ...file('a.txt', 'abc', 5)],
      400,
      'File /In/a.txt has 3 bytes, not the announced 5',
    );
    await expect(readdir(join(t.docroot, 'In'))).rejects.toThrow(/ENOENT/);
    expect(records().map((r) => [r.status, r.errorCode, r.errorDesc])).toEqual([
      ['failed', 400, 'File /In/a.txt is larger than its Content-Length'],
      ['failed', 400, 'File /In/a.txt has 3 bytes, not the announced 5'],
    ]);
    // A failed upload gives its token back: the same token carries the retry.
    const retry = await post([spec({ token, paths: paths('a.txt') }), ...file('a.txt', 'abcde')]);
    expect(retry.status).toBe(200);
  });

  it('a later bad file fails the whole upload: the earlier, complete files never reach their names', async () => {
    await refused(
      [
        spec({ token: t.uploadToken('/In'), paths: paths('good.txt', 'bad.txt') }),
        ...file('good.txt', 'good'),
        ...file('bad.txt', 'ba', 5),
      ],
      400,
      'File /In/bad.txt has 2 bytes, not the announced 5',
    );
    await expect(readdir(join(t.docroot, 'In'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses names that are empty or absolute, and files the grant did not declare', async () => {
    await refused([spec({ token: t.uploadToken('/In'), paths: paths('.') }), ...file('.', 'a')], 400, 'A file part has no name');
    await refused([spec({ token: t.uploadToken('/In'), paths: paths('/etc/x') }), ...file('x', 'a')], 403, 'Path is outside the docroot');
    const declared = t.uploadToken('/In', { declared: [['/In/a.txt', 3]] });
    await refused(
      [spec({ token: declared, paths: paths('other.txt') }), ...file('other.txt', 'a')],
      403,
      'File /In/other.txt was not declared when the upload was authorized',
    );
    await refused(
      [spec({ token: declared, paths: paths('a.txt') }), ...file('a.txt', 'abcd')],
      413,
      'File /In/a.txt has 4 bytes, more than the 3 declared when the upload was authorized',
    );
    expect((await post([spec({ token: declared, paths: paths('a.txt') }), ...file('a.txt', 'abc')])).status).toBe(200);
  });

  it('refuses to replace a file under "never", before its bytes are written', async () => {
    await mkdir(join(t.docroot, 'In'));
    await writeFile(join(t.docroot, 'In', 'a.txt'), 'original');
    await refused(
      [spec({ token: t.uploadToken('/In'), overwrite: 'never', paths: paths('a.txt') }), ...file('a.txt', 'new')],
      409,
      'File already exists and the overwrite policy is "never"',
    );
    await refused(
      [
        spec({ token: t.uploadToken('/In', { replace: false }), paths: paths('b.txt', 'a.txt') }),
        ...file('b.txt', 'b'),
        ...file('a.txt', 'new'),
      ],
      409,
      'File already exists and the overwrite policy is "never"',
    );
    expect(await onDisk('In', 'a.txt')).toBe('original');
    expect(await readdir(join(t.docroot, 'In'))).toEqual(['a.txt']);
    const replaced = await post([spec({ token: t.uploadToken('/In'), paths: paths('a.txt') }), ...file('a.txt', 'new')]);
    expect(replaced.status).toBe(200);
    expect(await onDisk('In', 'a.txt')).toBe('new');
  });

  it('takes a spec and 10000 Content-Length parts before refusing for the count', async () => {
    const many = Array.from({ length: 10_000 }, () => ({ name: 'Content-Length', value: '1' }));
    await refused([spec({ token: t.uploadToken('/In') }), ...many], 400, 'The body has no file part');
  });

  it('lets the parser take exactly 10000 files (the 10,000-small-files bench row)', async () => {
    // The parser alone with the node's limits: 10,000 files written to disk would take CI seconds.
    const parse = async (count: number) => {
      const parts = [spec({}), ...Array.from({ length: count }, (_, k) => file(`${k}.txt`, 'x')).flat()];
      const parser = busboy({ headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, limits: MULTIPART_LIMITS });
      const seen = { files: 0, limits: [] as string[] };
      parser.on('file', (_name, stream) => {
        seen.files += 1;
        stream.resume();
      });
      for (const limit of ['filesLimit', 'fieldsLimit', 'partsLimit']) parser.on(limit, () => seen.limits.push(limit));
      parser.end(body(parts));
      await once(parser, 'close');
      return seen;
    };
    // One more file is refused: the next test.
    expect(await parse(10_000)).toEqual({ files: 10_000, limits: [] });
  });

  it('refuses more parts than one upload may carry', async () => {
    const many = Array.from({ length: 10_001 }, () => ({ name: 'Content-Length', value: '1' }));
    await refused([spec({ token: t.uploadToken('/In') }), ...many], 413, 'One upload carries at most 10000 files');
  });

  it('refuses a spec part over 4 MiB', async () => {
    const huge = { token: t.uploadToken('/In'), padding: 'p'.repeat(4 * 1024 * 1024) };
    await refused([spec(huge), ...file('a.txt', 'a')], 400, 'Part "x-aspera-spec" is too large');
  });

  it('refuses a malformed multipart body', async () => {
    const res = await fetch(url, {
      method: 'POST',
      body: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="x-aspera-spec"\r\n\r\n{}`,
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^Malformed multipart body: /);
  });
});

describe('an upload that ends early', () => {
  /** Sends the spec and the first `sent` of `size` bytes of one file, and holds the request open. */
  function held(fields: object, name: string, size: number, sent: number) {
    const head = body([spec(fields), { name: 'Content-Length', value: String(size) }]).subarray(0, -`--${BOUNDARY}--\r\n`.length);
    const fileHead = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n\r\n`;
    const req = request(url, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': head.length + fileHead.length + size + 50 },
    });
    const answer = new Promise<{ status: number; body: string } | 'closed'>((resolve) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', () => resolve('closed'));
    });
    req.write(head);
    req.write(fileHead);
    req.write(Buffer.alloc(sent, 7));
    return { req, answer };
  }

  async function running() {
    for (;;) {
      const live = records().find((r) => r.status === 'running' && r.bytesTransferred > 0);
      if (live) return live;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async function settled(id: string) {
    for (;;) {
      const record = t.ctx.transfers.get(id);
      if (record && record.status !== 'running' && (await staging()).length === 0) return record;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('a client that disconnects mid-file leaves no partial, no final file, and its token for a retry', async () => {
    const token = t.uploadToken('/In');
    const upload = held({ token, paths: paths('big.bin') }, 'big.bin', 1000, 400);
    const live = await running();
    expect(await staging()).toHaveLength(1);
    upload.req.destroy();
    const record = await settled(live.id);
    expect(record).toMatchObject({
      status: 'failed',
      errorCode: 499,
      errorDesc: 'The client closed the connection before the upload completed',
    });
    expect(record.files.map((f) => f.status)).toEqual(['failed']);
    await expect(readdir(join(t.docroot, 'In'))).rejects.toThrow(/ENOENT/);
    expect((await post([spec({ token, paths: paths('big.bin') }), ...file('big.bin', 'x')])).status).toBe(200);
  });

  it('a transfer canceled through the Node API ends with 499 and leaves nothing', async () => {
    const upload = held({ token: t.uploadToken('/In'), paths: paths('big.bin') }, 'big.bin', 1000, 400);
    const live = await running();
    expect(t.ctx.transfers.cancel(live.id)).toBe(true);
    const answer = await upload.answer;
    expect(answer).toEqual({ status: 499, body: JSON.stringify({ message: 'The transfer was canceled' }) });
    expect(await settled(live.id)).toMatchObject({ status: 'canceled', errorCode: 499 });
    await expect(readdir(join(t.docroot, 'In'))).rejects.toThrow(/ENOENT/);
    upload.req.destroy();
  });
});
