// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TransferClientEvent } from '../transfer-client';
import { createHttpGatewayClient } from './http-gateway-client';

// The gateway client as the transfer panel uses it: start, stop, resume, remove and the events a
// row shows, with a fake XHR and fetch at the browser's boundary (as http-gateway-client.test.ts)
// and, for the stall watchdog, the test's own clock.

type Handler = ((e?: unknown) => void) | null;

class FakeXhr {
  static all: FakeXhr[] = [];
  upload: { onloadstart: Handler; onprogress: Handler; onload: Handler } = { onloadstart: null, onprogress: null, onload: null };
  onload: Handler = null;
  onerror: Handler = null;
  ontimeout: Handler = null;
  onabort: Handler = null;
  status = 0;
  responseText = '';
  responseType = '';
  aborted = 0;
  constructor() {
    FakeXhr.all.push(this);
  }
  open() {}
  send() {}
  abort() {
    this.aborted += 1;
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

const GW = 'https://gw.example/aspera/http-gwy';
const uploadSpec = { direction: 'send', token: 'ATM', destination_root: '/Up', paths: [{}] };
const sources = [{ file: new File(['a'.repeat(100)], 'a.txt'), path: 'a.txt' }];
const sized = (size: number) => ({
  direction: 'receive',
  paths: [{ source: 'docs/big.iso' }],
  tags: { aspera: { 'http-gateway': { expected_size: size } } },
});

function setup(extra: Parameters<typeof createHttpGatewayClient>[0] = {}) {
  const client = createHttpGatewayClient({ createXhr: () => new FakeXhr() as unknown as XMLHttpRequest, document, ...extra });
  const events: TransferClientEvent[] = [];
  client.subscribe((e) => events.push(e));
  const of = (id: string) => events.filter((e) => e.transferId === id);
  return { client, events, of };
}

const upload = (id: string) => ({ transferId: id, direction: 'upload' as const, transferSpec: uploadSpec, gatewayUrl: GW, sources });
const lastXhr = () => FakeXhr.all.at(-1)!;

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  FakeXhr.all = [];
});

describe('what the client offers', () => {
  it('is the gateway client, with per-file progress and no pause, resume or native picking (§8)', async () => {
    const { client } = setup();
    expect(client.kind).toBe('http-gateway');
    expect(client.capabilities).toEqual({ pause: false, resume: false, perFileProgress: true, nativeFilePicking: false });
    expect(await client.availability()).toEqual({ available: true });
  });

  it('says a browser without XMLHttpRequest cannot upload, unless it was given one', async () => {
    vi.stubGlobal('XMLHttpRequest', undefined);
    expect(await createHttpGatewayClient({ document }).availability()).toEqual({
      available: false,
      reason: 'This browser cannot upload files.',
    });
    expect(await setup().client.availability()).toEqual({ available: true });
  });

  it("uses the page's own XMLHttpRequest, fetch and document when none is given", async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const fetch = vi.fn(async () => Response.json({ signed_url: 'https://gw.example/signed' }));
    vi.stubGlobal('fetch', fetch);
    const append = vi.spyOn(document.body, 'append').mockImplementation(() => undefined);
    const client = createHttpGatewayClient();
    expect(await client.availability()).toEqual({ available: true });
    const events: TransferClientEvent[] = [];
    client.subscribe((e) => events.push(e));
    await client.start(upload('u1'));
    lastXhr().respond(201);
    expect(events.at(-1)).toMatchObject({ transferId: 'u1', status: 'completed' });
    await client.start({ transferId: 'd1', direction: 'download', transferSpec: sized(10 ** 12), gatewayUrl: GW });
    await vi.waitFor(() => expect(events.at(-1)).toMatchObject({ transferId: 'd1', handedToBrowser: true }));
    expect(fetch).toHaveBeenCalledOnce();
    expect((append.mock.calls[0]![0] as HTMLIFrameElement).getAttribute('src')).toBe('https://gw.example/signed');
  });
});

describe('start, stop, resume, remove', () => {
  it('refuses with a message that says what to do', async () => {
    const { client } = setup();
    await expect(client.start({ ...upload('x'), gatewayUrl: undefined })).rejects.toMatchObject({
      code: 'CLIENT_UNAVAILABLE',
      message: 'No HTTP Gateway is configured for this transfer: ask an administrator.',
    });
    await expect(client.start({ ...upload('x'), sources: undefined })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Choose at least one file to upload.',
    });
    await expect(client.stop('x')).rejects.toMatchObject({
      code: 'UNKNOWN_TRANSFER',
      message: 'This transfer is not running in this page.',
    });
    await expect(client.resume('x')).rejects.toMatchObject({
      code: 'UNKNOWN_TRANSFER',
      message: 'This transfer is not known in this page any more: start it again.',
    });
    await expect(client.remove('x')).resolves.toBeUndefined();
  });

  it('refuses a second start of a running transfer, and starts an ended one afresh', async () => {
    const { client, of } = setup();
    await client.start(upload('t1'));
    await expect(client.start(upload('t1'))).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'This transfer is already running.' });
    expect(FakeXhr.all).toHaveLength(1);
    lastXhr().respond(200);
    await client.start(upload('t1'));
    expect(FakeXhr.all).toHaveLength(2);
    expect(of('t1').map((e) => e.status)).toEqual(['starting', 'completed', 'starting']);
  });

  it('resume restarts only a failed or cancelled transfer; a running or finished one is left alone', async () => {
    const { client, of } = setup();
    await client.start(upload('r1'));
    await client.resume('r1');
    expect(FakeXhr.all).toHaveLength(1);
    await client.stop('r1');
    expect(of('r1').at(-1)!.status).toBe('cancelled');
    await client.resume('r1');
    expect(FakeXhr.all).toHaveLength(2);
    lastXhr().respond(200);
    await client.resume('r1');
    expect(FakeXhr.all).toHaveLength(2);
    expect(of('r1').map((e) => e.status)).toEqual(['starting', 'cancelled', 'starting', 'completed']);
    await expect(client.remove('r1')).resolves.toBeUndefined(); // a finished transfer has nothing to abort
  });

  it('remove aborts the request, says nothing more about it, and frees the id', async () => {
    const { client, of } = setup();
    await client.start(upload('m1'));
    lastXhr().progress(50, 100);
    const before = of('m1').length;
    await client.remove('m1');
    expect(lastXhr().aborted).toBe(1);
    lastXhr().respond(200);
    expect(of('m1')).toHaveLength(before);
    await expect(client.stop('m1')).rejects.toMatchObject({ code: 'UNKNOWN_TRANSFER' });
    await client.start(upload('m1'));
    expect(of('m1').at(-1)!.status).toBe('starting');
  });

  it('shows one event per change: repeated identical progress is not re-announced', async () => {
    const { client, of } = setup();
    await client.start(upload('p1'));
    lastXhr().upload.onloadstart?.();
    lastXhr().progress(40, 200);
    lastXhr().progress(40, 200);
    lastXhr().progress(20, 200); // the browser's count never goes back
    expect(of('p1').map((e) => [e.status, e.bytesDone])).toEqual([
      ['starting', 0],
      ['running', 0],
      ['running', 20],
    ]);
  });

  it("names a lost connection only for a network failure, not for the gateway's own refusal", async () => {
    vi.stubGlobal('navigator', { onLine: false });
    const { client, of } = setup();
    await client.start(upload('o1'));
    lastXhr().onerror?.();
    expect(of('o1').at(-1)!.error).toEqual({
      code: 'NETWORK_ERROR',
      message: 'Network connection lost during the upload: reconnect, then retry.',
    });
    await client.start(upload('o2'));
    lastXhr().respond(507, JSON.stringify({ message: 'Disk full on the node' }));
    expect(of('o2').at(-1)!.error).toEqual({ code: 'TRANSFER_FAILED', message: 'Disk full on the node' });
  });
});

describe('downloads: in the page or by the browser', () => {
  it('streams up to 100 MB in the page and hands anything larger, or unsized, to the browser', async () => {
    const urls: string[] = [];
    const fetch = vi.fn(async (url: string) => (urls.push(url), new Promise<Response>(() => undefined)));
    const { client, of } = setup({ fetch: fetch as unknown as typeof globalThis.fetch });
    await client.start({ transferId: 'a', direction: 'download', transferSpec: sized(100_000_000), gatewayUrl: GW });
    await client.start({ transferId: 'b', direction: 'download', transferSpec: sized(100_000_001), gatewayUrl: GW });
    await client.start({
      transferId: 'c',
      direction: 'download',
      transferSpec: { direction: 'receive', paths: [{ source: 'x' }] },
      gatewayUrl: GW,
    });
    expect(urls).toEqual([`${GW}/v3/download`, `${GW}/v3/presign`, `${GW}/v3/presign`]);
    expect(of('a')[0]).toEqual({
      transferId: 'a',
      status: 'starting',
      bytesDone: 0,
      bytesTotal: 100_000_000,
      files: [{ path: 'docs/big.iso', status: 'queued', bytesDone: 0, bytesTotal: 100_000_000 }],
    });
    expect(of('b')[0]).toEqual({
      transferId: 'b',
      status: 'starting',
      bytesDone: 0,
      bytesTotal: 100_000_001,
      files: [{ path: 'docs/big.iso', status: 'queued', bytesDone: 0, bytesTotal: 100_000_001 }],
    });
  });

  it('follows a smaller in-page limit when one is set', async () => {
    const urls: string[] = [];
    const fetch = vi.fn(async (url: string) => (urls.push(url), new Promise<Response>(() => undefined)));
    const { client } = setup({ fetch: fetch as unknown as typeof globalThis.fetch, inBrowserDownloadLimit: 10 });
    await client.start({ transferId: 'a', direction: 'download', transferSpec: sized(10), gatewayUrl: GW });
    await client.start({ transferId: 'b', direction: 'download', transferSpec: sized(11), gatewayUrl: GW });
    expect(urls).toEqual([`${GW}/v3/download`, `${GW}/v3/presign`]);
  });
});

describe('the stall watchdog (the test moves the clock)', () => {
  it('fails an upload after a minute without a byte moving, and says so; progress keeps it alive', async () => {
    vi.useFakeTimers();
    const { client, of } = setup();
    await client.start(upload('s1'));
    lastXhr().progress(10, 200);
    await vi.advanceTimersByTimeAsync(55_000);
    lastXhr().progress(20, 200);
    await vi.advanceTimersByTimeAsync(55_000);
    expect(of('s1').at(-1)!.status).toBe('running');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(of('s1').at(-1)).toEqual({
      transferId: 's1',
      status: 'failed',
      bytesDone: 10,
      bytesTotal: 100,
      error: { code: 'NETWORK_ERROR', message: 'The transfer stalled: nothing moved for 60 s. Check your connection and try again.' },
      files: [
        {
          path: 'a.txt',
          status: 'failed',
          bytesDone: 10,
          bytesTotal: 100,
          error: 'The transfer stalled: nothing moved for 60 s. Check your connection and try again.',
        },
      ],
    });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('counts the start of sending as activity, though no byte has moved yet', async () => {
    vi.useFakeTimers();
    const { client, of } = setup();
    await client.start(upload('s0'));
    await vi.advanceTimersByTimeAsync(55_000);
    lastXhr().upload.onloadstart?.();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(of('s0').at(-1)).toMatchObject({ status: 'running', bytesDone: 0 });
  });

  it('names its own limit in the message', async () => {
    vi.useFakeTimers();
    const { client, of } = setup({ stallTimeoutMs: 2_000 });
    await client.start(upload('s2'));
    await vi.advanceTimersByTimeAsync(2_500);
    expect(of('s2').at(-1)!.error!.message).toBe('The transfer stalled: nothing moved for 2 s. Check your connection and try again.');
  });

  it('waits as long as it takes for the answer once the whole upload is sent', async () => {
    vi.useFakeTimers();
    const { client, of } = setup();
    await client.start(upload('s3'));
    lastXhr().progress(200, 200);
    lastXhr().upload.onload?.();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(of('s3').at(-1)).toMatchObject({ status: 'running', bytesDone: 100 });
    lastXhr().respond(200);
    expect(of('s3').at(-1)!.status).toBe('completed');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fails a download whose last bytes arrived but whose answer never ends', async () => {
    vi.useFakeTimers();
    let body: ReadableStreamDefaultController<Uint8Array> | undefined;
    const fetch = vi.fn(
      async (_: unknown, init?: RequestInit) =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(c) {
              body = c;
              init!.signal!.addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError')));
            },
          }),
          { headers: { 'Content-Length': '500' } },
        ),
    );
    const { client, of } = setup({ fetch: fetch as unknown as typeof globalThis.fetch });
    await client.start({ transferId: 's4', direction: 'download', transferSpec: sized(500), gatewayUrl: GW });
    await vi.advanceTimersByTimeAsync(200);
    body!.enqueue(new Uint8Array(500));
    await vi.advanceTimersByTimeAsync(0);
    expect(of('s4').at(-1)).toMatchObject({ status: 'running', bytesDone: 500 });
    await vi.advanceTimersByTimeAsync(65_000);
    expect(of('s4').at(-1)).toMatchObject({
      status: 'failed',
      error: { code: 'NETWORK_ERROR', message: expect.stringMatching(/stalled/) },
    });
  });

  it('a resumed upload gets a fresh watchdog: not failed at once, not stalled by the old run, not exempt from stalling', async () => {
    vi.useFakeTimers();
    const { client, of } = setup();
    await client.start(upload('w1'));
    await vi.advanceTimersByTimeAsync(65_000);
    expect(of('w1').at(-1)!.error!.message).toMatch(/stalled/);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await client.resume('w1');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(of('w1').at(-1)!.status).toBe('starting');
    await client.stop('w1');
    expect(of('w1').at(-1)).toMatchObject({ status: 'cancelled' });
    expect(of('w1').at(-1)!.error).toBeUndefined();

    await client.start(upload('w2'));
    lastXhr().progress(200, 200);
    lastXhr().upload.onload?.();
    lastXhr().respond(500);
    expect(of('w2').at(-1)!.status).toBe('failed');
    await client.resume('w2');
    await vi.advanceTimersByTimeAsync(65_000);
    expect(of('w2').at(-1)).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/stalled/) } });
  });

  it('leaves no timer behind once a download is handed to the browser or a transfer is removed', async () => {
    vi.useFakeTimers();
    vi.spyOn(document.body, 'append').mockImplementation(() => undefined);
    const fetch = vi.fn(async () => Response.json({ signed_url: 'https://gw.example/signed' }));
    const { client, of } = setup({ fetch: fetch as unknown as typeof globalThis.fetch });
    await client.start({ transferId: 'h1', direction: 'download', transferSpec: sized(10 ** 12), gatewayUrl: GW });
    await vi.advanceTimersByTimeAsync(0);
    expect(of('h1').at(-1)!.handedToBrowser).toBe(true);
    await vi.advanceTimersByTimeAsync(11 * 60_000); // the hidden frame is kept ten minutes (browser-save.ts)
    expect(of('h1').at(-1)).toMatchObject({ status: 'running', handedToBrowser: true });
    await expect(client.stop('h1')).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
      message: "This download is in your browser's downloads now: cancel it there.",
    });
    expect(vi.getTimerCount()).toBe(0);
    await client.start(upload('h2'));
    expect(vi.getTimerCount()).toBe(1);
    await client.remove('h2');
    expect(vi.getTimerCount()).toBe(0);
  });
});
