// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TransferClientEvent } from '../transfer-client';
import { createHttpGatewayClient } from './http-gateway-client';

type Handler = ((e?: unknown) => void) | null;

/** Just the XHR surface the client uses, driven by the test the way a browser would. */
class FakeXhr {
  static last: FakeXhr;
  upload: { onloadstart: Handler; onprogress: Handler; onload: Handler } = { onloadstart: null, onprogress: null, onload: null };
  onload: Handler = null;
  onerror: Handler = null;
  ontimeout: Handler = null;
  onabort: Handler = null;
  status = 0;
  responseText = '';
  responseType = '';
  method = '';
  url = '';
  body: FormData | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total });
  }
  respond(status: number, text = '') {
    this.status = status;
    this.responseText = text;
    this.onload?.();
  }
}

const GW = 'http://127.0.0.1:9092/aspera/http-gwy';
const uploadSpec = { direction: 'send', token: 'ATM', destination_root: '/Up', paths: [{}], tags: { courier: { transfer_id: 't1' } } };

function setup(extra: Parameters<typeof createHttpGatewayClient>[0] = {}) {
  const client = createHttpGatewayClient({ createXhr: () => new FakeXhr() as unknown as XMLHttpRequest, document, ...extra });
  const events: TransferClientEvent[] = [];
  client.subscribe((e) => events.push(e));
  return { client, events };
}

async function startUpload() {
  const s = setup();
  const sources = [
    { file: new File(['a'.repeat(600)], 'a.txt'), path: 'dir/a.txt' },
    { file: new File(['b'.repeat(400)], 'b.txt'), path: 'dir/sub/b.txt' },
  ];
  await s.client.start({ transferId: 't1', direction: 'upload', transferSpec: uploadSpec, gatewayUrl: `${GW}/`, sources });
  return { ...s, xhr: FakeXhr.last };
}

afterEach(() => vi.restoreAllMocks());

describe('http-gateway upload', () => {
  it('POSTs one multipart body, maps body progress to file bytes, completes only on the answer (§3.2)', async () => {
    const { xhr, events } = await startUpload();
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe(`${GW}/v3/upload`);
    expect([...xhr.body!.keys()]).toEqual(['x-aspera-spec', 'Content-Length', 'file', 'Content-Length', 'file']);
    xhr.upload.onloadstart?.();
    xhr.progress(600, 1200);
    xhr.progress(1200, 1200);
    xhr.upload.onload?.();
    expect(events.map((e) => [e.status, e.bytesDone, e.bytesTotal])).toEqual([
      ['starting', 0, 1000],
      ['running', 0, 1000],
      ['running', 500, 1000],
      ['running', 1000, 1000],
    ]);
    xhr.respond(200, '{}');
    expect(events.at(-1)).toEqual({
      transferId: 't1',
      status: 'completed',
      bytesDone: 1000,
      bytesTotal: 1000,
      files: [
        { path: 'dir/a.txt', status: 'completed', bytesDone: 600, bytesTotal: 600 },
        { path: 'dir/sub/b.txt', status: 'completed', bytesDone: 400, bytesTotal: 400 },
      ],
    });
  });

  it('tells each file as the body passes it, and which file a failure stopped in', async () => {
    const { xhr, events } = await startUpload();
    xhr.upload.onloadstart?.();
    expect(events.at(-1)!.files).toEqual([
      { path: 'dir/a.txt', status: 'queued', bytesDone: 0, bytesTotal: 600 },
      { path: 'dir/sub/b.txt', status: 'queued', bytesDone: 0, bytesTotal: 400 },
    ]);
    xhr.progress(360, 1200); // 300 file bytes: inside a.txt, no file finished: no new list
    expect(events.at(-1)!.files).toBeUndefined();
    xhr.progress(840, 1200); // 700: a.txt sent, b.txt under way
    expect(events.at(-1)!.files).toEqual([
      { path: 'dir/a.txt', status: 'running', bytesDone: 600, bytesTotal: 600 },
      { path: 'dir/sub/b.txt', status: 'running', bytesDone: 100, bytesTotal: 400 },
    ]);
    xhr.onerror?.();
    expect(events.at(-1)!.files).toEqual([
      {
        path: 'dir/a.txt',
        status: 'failed',
        bytesDone: 600,
        bytesTotal: 600,
        error: 'Not stored: the upload stopped before it completed.',
      },
      { path: 'dir/sub/b.txt', status: 'failed', bytesDone: 100, bytesTotal: 400, error: events.at(-1)!.error!.message },
    ]);
  });

  it("fails with the server's message and a code people can act on", async () => {
    const { xhr, events } = await startUpload();
    xhr.progress(1200, 1200);
    xhr.respond(403, JSON.stringify({ message: 'Access denied to /Up', code: 403 }));
    expect(events.at(-1)).toMatchObject({ status: 'failed', error: { code: 'FORBIDDEN', message: 'Access denied to /Up' } });
  });

  it('reads `description` too, and explains an answer without a body', async () => {
    const first = await startUpload();
    first.xhr.respond(401, JSON.stringify({ description: 'Token expired', code: 401 }));
    expect(first.events.at(-1)!.error).toEqual({ code: 'UNAUTHORIZED', message: 'Token expired' });
    const second = await startUpload();
    second.xhr.respond(502, '<html>Bad gateway</html>');
    expect(second.events.at(-1)!.error!.code).toBe('TRANSFER_FAILED');
    expect(second.events.at(-1)!.error!.message).toMatch(/502/);
  });

  it('reports a network error as failed with a clear message, never a stuck running', async () => {
    const { xhr, events } = await startUpload();
    xhr.progress(300, 1200);
    xhr.onerror?.();
    expect(events.at(-1)).toMatchObject({ status: 'failed', bytesDone: 250, error: { code: 'NETWORK_ERROR' } });
    expect(events.at(-1)!.error!.message).toMatch(/could not be reached/);
  });

  it('names a lost connection as such when the browser is offline', async () => {
    let online = true;
    const { client, events } = setup({ isOnline: () => online });
    await client.start({
      transferId: 't1',
      direction: 'upload',
      transferSpec: uploadSpec,
      gatewayUrl: GW,
      sources: [{ file: new File(['a'], 'a.txt'), path: 'a.txt' }],
    });
    online = false;
    FakeXhr.last.onerror?.();
    expect(events.at(-1)!.error).toEqual({
      code: 'NETWORK_ERROR',
      message: 'Network connection lost during the upload: reconnect, then retry.',
    });
  });

  it('stop aborts the request → cancelled, and nothing after it revives the transfer', async () => {
    const { client, xhr, events } = await startUpload();
    xhr.progress(600, 1200);
    await client.stop('t1');
    expect(events.at(-1)).toMatchObject({ status: 'cancelled', bytesDone: 500 });
    xhr.respond(200);
    expect(events.at(-1)!.status).toBe('cancelled');
    await client.stop('t1'); // stopping an ended transfer is a no-op
  });

  it('fails an upload whose bytes stop moving, but waits for the answer once the body is sent', async () => {
    const s = setup({ stallTimeoutMs: 40 });
    const sources = [{ file: new File(['a'], 'a.txt'), path: 'a.txt' }];
    await s.client.start({ transferId: 's1', direction: 'upload', transferSpec: uploadSpec, gatewayUrl: GW, sources });
    const stalled = FakeXhr.last;
    stalled.progress(10, 100);
    await vi.waitFor(() =>
      expect(s.events.at(-1)).toMatchObject({
        status: 'failed',
        error: { code: 'NETWORK_ERROR', message: expect.stringMatching(/stalled/) },
      }),
    );
    await s.client.start({ transferId: 's2', direction: 'upload', transferSpec: uploadSpec, gatewayUrl: GW, sources });
    const slowAnswer = FakeXhr.last;
    slowAnswer.progress(100, 100);
    slowAnswer.upload.onload?.();
    await new Promise((r) => setTimeout(r, 150));
    expect(s.events.at(-1)).toMatchObject({ transferId: 's2', status: 'running' });
    slowAnswer.respond(200);
    expect(s.events.at(-1)).toMatchObject({ transferId: 's2', status: 'completed' });
  });

  it('resume restarts a failed upload from zero with the same files', async () => {
    const { client, xhr, events } = await startUpload();
    xhr.onerror?.();
    await client.resume('t1');
    expect(FakeXhr.last).not.toBe(xhr);
    FakeXhr.last.respond(204);
    expect(events.at(-1)!.status).toBe('completed');
  });

  it('refuses to start without a gateway or without files', async () => {
    const { client } = setup();
    await expect(client.start({ transferId: 'x', direction: 'upload', transferSpec: {}, sources: [] })).rejects.toMatchObject({
      code: 'CLIENT_UNAVAILABLE',
    });
    await expect(
      client.start({ transferId: 'x', direction: 'upload', transferSpec: {}, gatewayUrl: GW, sources: [] }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

function streamOf(chunks: Uint8Array[], failAfter?: number): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (failAfter !== undefined && i === failAfter) return controller.error(new TypeError('network'));
      const chunk = chunks[i++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
}

const downloadSpec = (size: number, paths = [{ source: 'docs/été.txt' }]) => ({
  direction: 'receive',
  token: 'ATM',
  paths,
  title: 'été.txt',
  tags: { aspera: { 'http-gateway': { expected_size: size } } },
});

describe('http-gateway download', () => {
  it('streams a small download with the spec in X-Aspera-Spec, progress from the body, saved from chunks', async () => {
    const chunks = [new Uint8Array(300).fill(1), new Uint8Array(200).fill(2)];
    const fetch = vi.fn(
      async () =>
        new Response(streamOf(chunks), {
          headers: { 'Content-Length': '500', 'Content-Disposition': 'attachment; filename="ete.txt"', 'Content-Type': 'text/plain' },
        }),
    );
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (created.push(b as Blob), 'blob:x'));
    const clicks: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this);
    });
    const { client, events } = setup({ fetch });
    await client.start({ transferId: 'd1', direction: 'download', transferSpec: downloadSpec(500), gatewayUrl: GW });
    await vi.waitFor(() => expect(events.at(-1)!.status).toBe('completed'));
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(`${GW}/v3/download`);
    expect(init.cache).toBe('no-store');
    const header = (init.headers as Record<string, string>)['X-Aspera-Spec']!;
    expect(JSON.parse(Buffer.from(header, 'base64').toString('utf8'))).toEqual(downloadSpec(500));
    expect(events.at(-1)).toEqual({
      transferId: 'd1',
      status: 'completed',
      bytesDone: 500,
      bytesTotal: 500,
      files: [{ path: 'docs/été.txt', status: 'completed', bytesDone: 500, bytesTotal: 500 }],
    });
    expect(clicks[0]!.download).toBe('été.txt');
    expect(new Uint8Array(await created[0]!.arrayBuffer())).toEqual(new Uint8Array([...chunks[0]!, ...chunks[1]!]));
  });

  it("fails with the gateway's error body (unlike the SDK, §12.3)", async () => {
    const fetch = vi.fn(async () => Response.json({ message: 'Token expired', code: 401 }, { status: 401 }));
    const { client, events } = setup({ fetch });
    await client.start({ transferId: 'd2', direction: 'download', transferSpec: downloadSpec(5), gatewayUrl: GW });
    await vi.waitFor(() => expect(events.at(-1)!.status).toBe('failed'));
    expect(events.at(-1)!.error).toEqual({ code: 'UNAUTHORIZED', message: 'Token expired' });
  });

  it('fails a body cut short and a gateway that is down', async () => {
    const cut = vi.fn(async () => new Response(streamOf([new Uint8Array(10)]), { headers: { 'Content-Length': '500' } }));
    const a = setup({ fetch: cut });
    await a.client.start({ transferId: 'd3', direction: 'download', transferSpec: downloadSpec(500), gatewayUrl: GW });
    await vi.waitFor(() => expect(a.events.at(-1)!.status).toBe('failed'));
    expect(a.events.at(-1)!.error!.message).toMatch(/10 of 500/);
    const down = vi.fn(async () => Promise.reject(new TypeError('Failed to fetch')));
    const b = setup({ fetch: down });
    await b.client.start({ transferId: 'd4', direction: 'download', transferSpec: downloadSpec(500), gatewayUrl: GW });
    await vi.waitFor(() => expect(b.events.at(-1)!.status).toBe('failed'));
    expect(b.events.at(-1)!.error!.code).toBe('NETWORK_ERROR');
  });

  it('names a lost connection when a streamed download is cut while the browser is offline', async () => {
    const cut = vi.fn(
      async () => new Response(streamOf([new Uint8Array(10), new Uint8Array(10)], 1), { headers: { 'Content-Length': '500' } }),
    );
    const { client, events } = setup({ fetch: cut, isOnline: () => false });
    await client.start({ transferId: 'd5', direction: 'download', transferSpec: downloadSpec(500), gatewayUrl: GW });
    await vi.waitFor(() => expect(events.at(-1)!.status).toBe('failed'));
    expect(events.at(-1)).toMatchObject({
      bytesDone: 10,
      error: { code: 'NETWORK_ERROR', message: 'Network connection lost during the download: reconnect, then retry.' },
    });
  });

  it('stop aborts a streamed download → cancelled, nothing saved', async () => {
    let signal: AbortSignal | undefined;
    const fetch = vi.fn(async (_: unknown, init?: RequestInit) => {
      signal = init?.signal ?? undefined;
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new Uint8Array(10));
          signal!.addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError')));
        },
      });
      return new Response(body, { headers: { 'Content-Length': '500' } });
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click');
    const { client, events } = setup({ fetch });
    await client.start({ transferId: 'd5', direction: 'download', transferSpec: downloadSpec(500), gatewayUrl: GW });
    await vi.waitFor(() => expect(signal).toBeDefined());
    await client.stop('d5');
    await vi.waitFor(() => expect(events.at(-1)!.status).toBe('cancelled'));
    expect(click).not.toHaveBeenCalled();
  });

  it('fails a streamed download whose bytes stop coming', async () => {
    const fetch = vi.fn(async (_: unknown, init?: RequestInit) => {
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new Uint8Array(10));
          init!.signal!.addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError')));
        },
      });
      return new Response(body, { headers: { 'Content-Length': '500' } });
    });
    const { client, events } = setup({ fetch, stallTimeoutMs: 40 });
    await client.start({ transferId: 'd8', direction: 'download', transferSpec: downloadSpec(500), gatewayUrl: GW });
    await vi.waitFor(() =>
      expect(events.at(-1)).toMatchObject({
        status: 'failed',
        error: { code: 'NETWORK_ERROR', message: expect.stringMatching(/stalled/) },
      }),
    );
  });

  it('presigns a large or unsized download and hands the signed URL to the browser (§5)', async () => {
    // Kept out of happy-dom's tree: it does not load frame pages and complains; a browser downloads.
    const appended: Node[] = [];
    vi.spyOn(document.body, 'append').mockImplementation((...nodes) => void appended.push(...(nodes as Node[])));
    const fetch = vi.fn(async () => Response.json({ signed_url: 'http://127.0.0.1:9092/aspera/http-gwy/v3/signed/abc' }));
    const { client, events } = setup({ fetch, inBrowserDownloadLimit: 100 });
    const spec = downloadSpec(101, [{ source: 'a.iso' }, { source: 'b.iso' }]);
    await client.start({ transferId: 'd6', direction: 'download', transferSpec: spec, gatewayUrl: `${GW}?q=1` });
    await vi.waitFor(() => expect(events.at(-1)!.handedToBrowser).toBe(true));
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(`${GW}/v3/presign`);
    expect(JSON.parse(init.body as string)).toEqual({
      transfer_spec: { ...spec, zip_required: true, download_name: 'été.txt' },
      method: 'GET',
      protocol: 'http',
      headers: { host: '127.0.0.1:9092' },
    });
    expect(events.at(-1)).toEqual({
      transferId: 'd6',
      status: 'running',
      bytesDone: 0,
      bytesTotal: 101,
      handedToBrowser: true,
      files: [
        { path: 'a.iso', status: 'running', bytesDone: 0, bytesTotal: null },
        { path: 'b.iso', status: 'running', bytesDone: 0, bytesTotal: null },
      ],
    });
    expect((appended[0] as HTMLIFrameElement).getAttribute('src')).toBe('http://127.0.0.1:9092/aspera/http-gwy/v3/signed/abc');
    await expect(client.stop('d6')).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
  });

  it('stop while the link is being made → cancelled, and the browser is not handed it', async () => {
    let answer: (r: Response) => void = () => undefined;
    const fetch = vi.fn(
      (_: unknown, init?: RequestInit) =>
        new Promise<Response>((resolve, reject) => {
          answer = resolve;
          init!.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    );
    const appended = vi.spyOn(document.body, 'append');
    const { client, events } = setup({ fetch });
    await client.start({
      transferId: 'd9',
      direction: 'download',
      transferSpec: { direction: 'receive', paths: [{ source: 'x' }] },
      gatewayUrl: GW,
    });
    await client.stop('d9');
    answer(Response.json({ signed_url: 'http://gw/v3/signed/x' }));
    await vi.waitFor(() => expect(events.at(-1)!.status).toBe('cancelled'));
    expect(appended).not.toHaveBeenCalled();
  });

  it('fails a refused presign with its message', async () => {
    const fetch = vi.fn(async () => Response.json({ description: 'Not allowed', code: 403 }, { status: 403 }));
    const { client, events } = setup({ fetch });
    await client.start({
      transferId: 'd7',
      direction: 'download',
      transferSpec: { direction: 'receive', paths: [{ source: 'x' }] },
      gatewayUrl: GW,
    });
    await vi.waitFor(() => expect(events.at(-1)!.status).toBe('failed'));
    expect(events.at(-1)!.error).toEqual({ code: 'FORBIDDEN', message: 'Not allowed' });
  });
});
