import { describe, expect, it, vi } from 'vitest';
import { runPresignedDownload, runStreamedDownload, type DownloadEnvironment } from './download';
import type { GatewayUpdate } from './upload';

// The two download paths of docs/http-gateway.md §4 and §5 driven through their boundary: a fake
// fetch answering as the gateway would, a clock the test moves, and the browser's save recorded.
// What a person sees is the sequence of reports (the row) and what the browser is asked to save.

const BASE = 'https://gw.example/aspera/http-gwy';

type Report = [GatewayUpdate, number | null];

function harness(answer: (url: string, init: RequestInit) => Promise<Response>, times: number[] = []) {
  const reports: Report[] = [];
  const saved: { blob: Blob; name: string }[] = [];
  const opened: string[] = [];
  const calls: [string, RequestInit][] = [];
  const clock = [...times];
  const env: DownloadEnvironment = {
    fetch: vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push([String(input), init!]);
      return answer(String(input), init!);
    }) as unknown as typeof fetch,
    saveBlob: (blob, name) => saved.push({ blob, name }),
    openDownloadUrl: (url) => opened.push(url),
    now: () => (clock.length > 1 ? clock.shift()! : (clock[0] ?? 0)),
  };
  const report = (u: GatewayUpdate, total: number | null) => reports.push([{ ...u }, total]);
  return { env, report, reports, saved, opened, calls };
}

const sized = (size: number, paths: unknown[] = [{ source: 'docs/report.pdf' }]) => ({
  direction: 'receive',
  paths,
  tags: { aspera: { 'http-gateway': { expected_size: size } } },
});

function body(...chunks: number[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(c) {
      const n = chunks[i++];
      if (n === undefined) c.close();
      else c.enqueue(new Uint8Array(n).fill(i));
    },
  });
}

describe('streamed download (§4)', () => {
  it('asks the gateway with GET, no cookies, the abort signal, and shows running at 0 before the answer', async () => {
    const signal = new AbortController().signal;
    const h = harness(async () => new Response(body(3), { headers: { 'Content-Length': '3' } }));
    await runStreamedDownload(BASE, sized(3), signal, h.env, h.report);
    const [url, init] = h.calls[0]!;
    expect(url).toBe(`${BASE}/v3/download`);
    expect(init).toMatchObject({ method: 'GET', credentials: 'omit', signal });
    expect(h.reports[0]).toEqual([{ status: 'running', bytesDone: 0 }, 3]);
    expect(h.reports.at(-1)).toEqual([{ status: 'completed', bytesDone: 3 }, 3]);
  });

  it('reports progress at most every 100 ms of the clock, not on every chunk', async () => {
    // now(): the start, then once per chunk (and again when a report is made).
    const h = harness(
      async () => new Response(body(10, 10, 10, 10, 10), { headers: { 'Content-Length': '50' } }),
      [0, 40, 99, 100, 100, 150, 260, 260, 270],
    );
    await runStreamedDownload(BASE, sized(50), new AbortController().signal, h.env, h.report);
    expect(h.reports.map(([u]) => [u.status, u.bytesDone])).toEqual([
      ['running', 0],
      ['running', 30],
      ['running', 50],
      ['completed', 50],
    ]);
  });

  it("takes the size from Content-Length over the portal's estimate, and ignores one that is not a number", async () => {
    const exact = harness(async () => new Response(body(7), { headers: { 'Content-Length': '7' } }));
    await runStreamedDownload(BASE, sized(9), new AbortController().signal, exact.env, exact.report);
    expect(exact.reports.at(-1)).toEqual([{ status: 'completed', bytesDone: 7 }, 7]);

    const garbled = harness(async () => new Response(body(7), { headers: { 'Content-Length': 'seven' } }));
    await runStreamedDownload(BASE, sized(9), new AbortController().signal, garbled.env, garbled.report);
    expect(garbled.reports.at(-1)![0]).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/after 7 of 9 bytes/) } });
    expect(garbled.saved).toEqual([]);

    const none = harness(async () => new Response(body(7)));
    await runStreamedDownload(BASE, sized(9), new AbortController().signal, none.env, none.report);
    expect(none.reports.at(-1)![0]).toEqual({
      status: 'failed',
      bytesDone: 7,
      error: { code: 'TRANSFER_FAILED', message: 'The download ended after 7 of 9 bytes: try again.' },
    });
  });

  it('completes a download of unknown size with whatever arrived, and an empty answer with nothing', async () => {
    const unsized = harness(async () => new Response(body(4, 4)));
    await runStreamedDownload(
      BASE,
      { direction: 'receive', paths: [{ source: 'a' }] },
      new AbortController().signal,
      unsized.env,
      unsized.report,
    );
    expect(unsized.reports[0]).toEqual([{ status: 'running', bytesDone: 0 }, null]);
    expect(unsized.reports.at(-1)).toEqual([{ status: 'completed', bytesDone: 8 }, 8]);
    expect(unsized.saved[0]!.blob.size).toBe(8);

    const empty = harness(async () => new Response(null, { headers: { 'Content-Length': '0' } }));
    await runStreamedDownload(BASE, sized(0), new AbortController().signal, empty.env, empty.report);
    expect(empty.reports.at(-1)).toEqual([{ status: 'completed', bytesDone: 0 }, 0]);
    expect(empty.saved[0]!.blob.size).toBe(0);
  });

  it("saves under the gateway's RFC 6266 name and type, else the file's own name as binary data", async () => {
    const named = harness(
      async () =>
        new Response(body(2), {
          headers: {
            'Content-Length': '2',
            'Content-Type': 'application/pdf',
            'Content-Disposition': "attachment; filename*=UTF-8''q3%20r%C3%A9sum%C3%A9.pdf",
          },
        }),
    );
    await runStreamedDownload(BASE, sized(2), new AbortController().signal, named.env, named.report);
    expect(named.saved[0]!.name).toBe('q3 résumé.pdf');
    expect(named.saved[0]!.blob.type).toBe('application/pdf');

    const plain = harness(async () => new Response(body(2), { headers: { 'Content-Length': '2' } }));
    await runStreamedDownload(BASE, sized(2, [{ source: 'docs/sub/report.pdf' }]), new AbortController().signal, plain.env, plain.report);
    expect(plain.saved[0]!.name).toBe('report.pdf');
    expect(plain.saved[0]!.blob.type).toBe('application/octet-stream');

    for (const paths of [[{ source: 'a.txt' }, { source: 'b.txt' }], [{ source: 7 }], 'a.txt', [{ source: '/' }]]) {
      const several = harness(async () => new Response(body(2), { headers: { 'Content-Length': '2' } }));
      await runStreamedDownload(BASE, { ...sized(2), paths }, new AbortController().signal, several.env, several.report);
      expect(several.saved[0]!.name).toBe('download');
    }
  });

  it("fails with the gateway's message, or its status when the body cannot be read", async () => {
    const refused = harness(async () => Response.json({ message: 'No such file /docs/x' }, { status: 404 }));
    await runStreamedDownload(BASE, sized(5), new AbortController().signal, refused.env, refused.report);
    expect(refused.reports.at(-1)).toEqual([
      { status: 'failed', bytesDone: 0, error: { code: 'NOT_FOUND', message: 'No such file /docs/x' } },
      5,
    ]);

    const unreadable = new Response('x', { status: 500 });
    unreadable.text = () => Promise.reject(new TypeError('body lost'));
    const broken = harness(async () => unreadable);
    await runStreamedDownload(BASE, sized(5), new AbortController().signal, broken.env, broken.report);
    expect(broken.reports.at(-1)![0]).toMatchObject({
      status: 'failed',
      error: { code: 'TRANSFER_FAILED', message: expect.stringMatching(/answered 500 to the download/) },
    });
    expect(broken.saved).toEqual([]);
  });

  it('a stop is cancelled with the bytes so far; a dropped connection is a network failure', async () => {
    const controller = new AbortController();
    let sent = 0;
    const stopped = harness(
      async () =>
        new Response(
          new ReadableStream({
            pull(c) {
              if (sent++ === 0) return c.enqueue(new Uint8Array(4));
              controller.abort();
              c.error(new DOMException('aborted', 'AbortError'));
            },
          }),
          { headers: { 'Content-Length': '10' } },
        ),
    );
    await runStreamedDownload(BASE, sized(10), controller.signal, stopped.env, stopped.report);
    expect(stopped.reports.at(-1)).toEqual([{ status: 'cancelled', bytesDone: 4 }, 10]);

    const dropped = harness(async () => Promise.reject(new TypeError('Failed to fetch')));
    await runStreamedDownload(BASE, sized(10), new AbortController().signal, dropped.env, dropped.report);
    expect(dropped.reports.at(-1)![0]).toMatchObject({
      status: 'failed',
      bytesDone: 0,
      error: { code: 'NETWORK_ERROR', message: expect.stringMatching(/during the download/) },
    });
  });
});

describe('presigned download (§5)', () => {
  const signedUrl = 'https://gw.example/aspera/http-gwy/v3/signed/abc';

  it("POSTs the spec as JSON with the gateway's own protocol and host, then hands the link to the browser", async () => {
    const h = harness(async () => Response.json({ signed_url: signedUrl }));
    const spec = sized(5_000_000_000);
    const signal = new AbortController().signal;
    await runPresignedDownload(`${BASE}?tenant=1`, spec, signal, h.env, h.report);
    const [url, init] = h.calls[0]!;
    expect(url).toBe(`${BASE}/v3/presign`);
    expect(init).toMatchObject({
      method: 'POST',
      credentials: 'omit',
      signal,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    });
    expect(JSON.parse(init.body as string)).toEqual({
      transfer_spec: spec,
      method: 'GET',
      protocol: 'https',
      headers: { host: 'gw.example' },
    });
    expect(h.opened).toEqual([signedUrl]);
    expect(h.reports).toEqual([
      [{ status: 'starting', bytesDone: 0 }, 5_000_000_000],
      [{ status: 'running', bytesDone: 0, handedToBrowser: true }, 5_000_000_000],
    ]);
  });

  it('refuses a link that is missing, not a string, not http(s), or an answer that is not JSON', async () => {
    const answers = [
      Response.json({}),
      Response.json({ signed_url: 42 }),
      Response.json({ signed_url: 'javascript:alert(1)' }),
      Response.json({ signed_url: 'see https://gw.example/x' }),
      new Response('<html>ok</html>'),
    ];
    for (const answer of answers) {
      const h = harness(async () => answer);
      await runPresignedDownload(BASE, sized(1), new AbortController().signal, h.env, h.report);
      expect(h.opened).toEqual([]);
      expect(h.reports.at(-1)).toEqual([
        {
          status: 'failed',
          bytesDone: 0,
          error: {
            code: 'TRANSFER_FAILED',
            message: 'The HTTP Gateway did not return a download link: try again, or ask an administrator.',
          },
        },
        1,
      ]);
    }
    const plainHttp = harness(async () => Response.json({ signed_url: 'http://gw.example/v3/signed/abc' }));
    await runPresignedDownload(BASE, sized(1), new AbortController().signal, plainHttp.env, plainHttp.report);
    expect(plainHttp.opened).toEqual(['http://gw.example/v3/signed/abc']);
  });

  it("fails a refused presign with the gateway's words, and an unreadable refusal with its status", async () => {
    const h = harness(async () => Response.json({ description: 'Token expired' }, { status: 401 }));
    await runPresignedDownload(BASE, sized(1), new AbortController().signal, h.env, h.report);
    expect(h.reports.at(-1)).toEqual([{ status: 'failed', bytesDone: 0, error: { code: 'UNAUTHORIZED', message: 'Token expired' } }, 1]);

    const unreadable = new Response('x', { status: 503 });
    unreadable.text = () => Promise.reject(new TypeError('body lost'));
    const u = harness(async () => unreadable);
    await runPresignedDownload(BASE, sized(1), new AbortController().signal, u.env, u.report);
    expect(u.reports.at(-1)![0]).toMatchObject({
      status: 'failed',
      error: { message: expect.stringMatching(/answered 503 to the download/) },
    });
  });

  it('a gateway that cannot be reached is a network failure; a stop before the answer is cancelled', async () => {
    const down = harness(async () => Promise.reject(new TypeError('Failed to fetch')));
    await runPresignedDownload(BASE, sized(1), new AbortController().signal, down.env, down.report);
    expect(down.reports.at(-1)![0]).toMatchObject({
      status: 'failed',
      bytesDone: 0,
      error: { code: 'NETWORK_ERROR', message: expect.stringMatching(/during the download/) },
    });

    const controller = new AbortController();
    const stopped = harness(async () => {
      controller.abort();
      throw new DOMException('aborted', 'AbortError');
    });
    await runPresignedDownload(BASE, sized(1), controller.signal, stopped.env, stopped.report);
    expect(stopped.reports.at(-1)).toEqual([{ status: 'cancelled', bytesDone: 0 }, 1]);
    expect(stopped.opened).toEqual([]);

    // Stopped while the answer's body was still being read: the link is not handed over either.
    const late = new AbortController();
    const answer = Response.json({ signed_url: 'https://gw.example/v3/signed/abc' });
    const read = answer.text.bind(answer);
    answer.text = () => (late.abort(), read());
    const reading = harness(async () => answer);
    await runPresignedDownload(BASE, sized(1), late.signal, reading.env, reading.report);
    expect(reading.reports.at(-1)).toEqual([{ status: 'cancelled', bytesDone: 0 }, 1]);
    expect(reading.opened).toEqual([]);
  });
});
