/**
 * Courier's gateway client against the real embedded transfer node (a child process, as on a
 * storage host): the wire protocol checked end to end. The browser-only parts are thin stand-ins:
 * an XHR over fetch (no upload progress events in Node; those are covered with happy-dom beside
 * this file) and a document whose anchor/iframe record what the browser would be asked to save.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TransferClientEvent } from '../transfer-client';
import { createHttpGatewayClient } from './http-gateway-client';

const ORIGIN = 'http://127.0.0.1:8080';
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;
let node: ChildProcess;
let apiUrl: string;
let gatewayUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'courier-gw-client-'));
  await mkdir(path.join(dir, 'docroot/Docs/sub'), { recursive: true });
  await writeFile(path.join(dir, 'docroot/Docs/report.txt'), 'hello gateway');
  await writeFile(path.join(dir, 'docroot/Docs/sub/data.bin'), Buffer.alloc(300_000, 7));
  node = spawn(
    process.execPath,
    [
      'bin/courier.mjs',
      'transfer-node',
      '--port',
      '0',
      '--state-dir',
      path.join(dir, 'state'),
      '--docroot',
      path.join(dir, 'docroot'),
      '--user',
      'u',
      '--password',
      '12345678',
      '--cors-origins',
      ORIGIN,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  [apiUrl, gatewayUrl] = await new Promise<[string, string]>((resolve, reject) => {
    let out = '';
    node.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Node API (\S+), HTTP Gateway (\S+)/.exec(out);
      if (m) resolve([m[1]!, m[2]!]);
    });
    node.once('exit', (code) => reject(new Error(`transfer node exited (${code}): ${out}`)));
  });
}, 60_000);

afterAll(async () => {
  node?.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
});

async function setup(kind: 'upload' | 'download', body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${apiUrl}/files/${kind}_setup`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('u:12345678').toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ transfer_requests: [{ transfer_request: body }] }),
  });
  const json = (await res.json()) as { transfer_specs: { transfer_spec: Record<string, unknown> }[] };
  return json.transfer_specs[0]!.transfer_spec;
}

/** The XHR surface the client uses, over fetch, sending the FormData the client built. */
class FetchXhr {
  upload: Record<string, ((e?: unknown) => void) | null> = { onloadstart: null, onprogress: null, onload: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = '';
  responseType = '';
  private url = '';
  private controller = new AbortController();
  open(_method: string, url: string) {
    this.url = url;
  }
  send(body: FormData) {
    this.upload.onloadstart?.();
    fetch(this.url, { method: 'POST', body, headers: { origin: ORIGIN }, signal: this.controller.signal })
      .then(async (res) => {
        this.upload.onprogress?.({ lengthComputable: true, loaded: 1, total: 1 });
        this.upload.onload?.();
        this.status = res.status;
        this.responseText = await res.text();
        this.onload?.();
      })
      .catch(() => (this.controller.signal.aborted ? this.onabort?.() : this.onerror?.()));
  }
  abort() {
    this.controller.abort();
  }
}

/** What the page would hand to the browser: saved Blobs and frame URLs. */
function recordingDocument() {
  const saved: { name: string; blob: Blob }[] = [];
  const frames: string[] = [];
  const blobs = new Map<string, Blob>();
  vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, b as Blob);
    return url;
  });
  const doc = {
    createElement: (tag: string) => {
      const el = {
        tag,
        href: '',
        download: '',
        src: '',
        hidden: false,
        style: {},
        click: () => saved.push({ name: el.download, blob: blobs.get(el.href)! }),
        remove: () => undefined,
      };
      return el;
    },
    body: { append: (el: { tag: string; src: string }) => el.tag === 'iframe' && frames.push(el.src) },
  };
  return { doc: doc as unknown as Document, saved, frames };
}

function collect(client: ReturnType<typeof createHttpGatewayClient>) {
  const events: TransferClientEvent[] = [];
  client.subscribe((e) => events.push(e));
  const ended = (id: string) =>
    vi.waitFor(
      () => {
        const last = events.filter((e) => e.transferId === id).at(-1);
        if (!last || (!['completed', 'failed', 'cancelled'].includes(last.status) && !last.handedToBrowser)) throw new Error('not ended');
        return last;
      },
      { timeout: 15_000 },
    );
  return { events, ended };
}

describe('http-gateway client against the embedded transfer node', () => {
  it('uploads a tree in one multipart request that the node stores byte for byte', async () => {
    const { doc } = recordingDocument();
    const client = createHttpGatewayClient({ createXhr: () => new FetchXhr() as unknown as XMLHttpRequest, document: doc });
    const { ended } = collect(client);
    const spec = await setup('upload', { paths: [{ destination: '/Uploads' }] });
    const sources = [
      { file: new File(['tree root'], 'root.txt'), path: 'Tree/root.txt' },
      { file: new File([new Uint8Array(0)], 'empty.bin'), path: 'Tree/sub/empty.bin' },
      { file: new File(['q'], 'été "q".txt'), path: 'Tree/sub/été "q".txt' },
    ];
    await client.start({ transferId: 'up1', direction: 'upload', transferSpec: spec, gatewayUrl, sources });
    expect(await ended('up1')).toEqual({
      transferId: 'up1',
      status: 'completed',
      bytesDone: 10,
      bytesTotal: 10,
      files: [
        { path: 'Tree/root.txt', status: 'completed', bytesDone: 9, bytesTotal: 9 },
        { path: 'Tree/sub/empty.bin', status: 'completed', bytesDone: 0, bytesTotal: 0 },
        { path: 'Tree/sub/été "q".txt', status: 'completed', bytesDone: 1, bytesTotal: 1 },
      ],
    });
    expect(await readFile(path.join(dir, 'docroot/Uploads/Tree/root.txt'), 'utf8')).toBe('tree root');
    expect(await readFile(path.join(dir, 'docroot/Uploads/Tree/sub/empty.bin'))).toHaveLength(0);
    expect(await readFile(path.join(dir, 'docroot/Uploads/Tree/sub/été "q".txt'), 'utf8')).toBe('q');
  });

  it("reports the node's refusal of a tampered token as failed with its message", async () => {
    const client = createHttpGatewayClient({
      createXhr: () => new FetchXhr() as unknown as XMLHttpRequest,
      document: recordingDocument().doc,
    });
    const { ended } = collect(client);
    const spec = await setup('upload', { paths: [{ destination: '/Uploads' }] });
    const token = String(spec.token);
    await client.start({
      transferId: 'up2',
      direction: 'upload',
      transferSpec: { ...spec, token: `${token.slice(0, -6)}AAAAAA` },
      gatewayUrl,
      sources: [{ file: new File(['x'], 'x.txt'), path: 'x.txt' }],
    });
    const last = await ended('up2');
    expect(last.status).toBe('failed');
    expect(['UNAUTHORIZED', 'FORBIDDEN']).toContain(last.error!.code);
    expect(last.error!.message.length).toBeGreaterThan(5);
  });

  it('streams a small download with progress and saves the exact bytes under the served name', async () => {
    const { doc, saved } = recordingDocument();
    const client = createHttpGatewayClient({ document: doc });
    const { ended } = collect(client);
    const spec = await setup('download', { paths: [{ source: '/Docs/sub/data.bin' }] });
    await client.start({ transferId: 'down1', direction: 'download', transferSpec: spec, gatewayUrl });
    expect(await ended('down1')).toMatchObject({ status: 'completed', bytesDone: 300_000, bytesTotal: 300_000 });
    expect(saved[0]!.name).toBe('data.bin');
    const bytes = Buffer.from(await saved[0]!.blob.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(createHash('sha256').update(Buffer.alloc(300_000, 7)).digest('hex'));
  });

  it('downloads several paths as one zip named from the title', async () => {
    const { doc, saved } = recordingDocument();
    const client = createHttpGatewayClient({ document: doc });
    const { ended } = collect(client);
    const spec = await setup('download', { paths: [{ source: '/Docs/report.txt' }, { source: '/Docs/sub' }] });
    await client.start({ transferId: 'down2', direction: 'download', transferSpec: { ...spec, title: '2 items' }, gatewayUrl });
    expect((await ended('down2')).status).toBe('completed');
    expect(saved[0]!.name).toBe('2 items.zip');
    expect(
      Buffer.from(await saved[0]!.blob.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });

  it('presigns a large download and hands a signed URL that serves the file by itself', async () => {
    const { doc, frames } = recordingDocument();
    const client = createHttpGatewayClient({ document: doc, inBrowserDownloadLimit: 10 });
    const { ended } = collect(client);
    const spec = await setup('download', { paths: [{ source: '/Docs/report.txt' }] });
    await client.start({ transferId: 'down3', direction: 'download', transferSpec: spec, gatewayUrl });
    expect(await ended('down3')).toMatchObject({ status: 'running', handedToBrowser: true });
    const res = await fetch(frames[0]!);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="report.txt"; filename*=UTF-8''report.txt`);
    expect(await res.text()).toBe('hello gateway');
  });
});
