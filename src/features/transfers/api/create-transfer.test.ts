import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../lib/api-client';
import { createTransfer, reportTransfer, type NewTransfer } from './create-transfer';

// The transfer's start survives a portal instance dying under it (docs/api.md §8): the one POST
// carries an Idempotency-Key and goes again, same key and same body, until an answer comes.
const fetchMock = vi.fn<typeof fetch>();
const upload: NewTransfer = {
  spaceId: 's1',
  direction: 'upload',
  folder: '/',
  files: [{ path: 'a.txt', size: 5 }],
  emptyFolders: [],
  replace: [],
};
const created = { transfer: { id: 't1' }, transferSpec: {}, clients: [], tokenLifeSeconds: 600 };
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const proxy502 = () => new Response('<html><body>502 Bad Gateway</body></html>', { status: 502, headers: { 'content-type': 'text/html' } });
const sent = () =>
  fetchMock.mock.calls.map(([url, init]) => ({
    url,
    method: init?.method,
    key: new Headers(init?.headers).get('idempotency-key'),
    body: init?.body,
  }));

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('createTransfer', () => {
  it('sends a fresh key with each start', async () => {
    fetchMock.mockImplementation(async () => json(201, created));
    await createTransfer(upload);
    await createTransfer(upload);
    const [first, second] = sent();
    expect(first!.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(second!.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(second!.key).not.toBe(first!.key);
  });

  it('resends on a proxy 502, on no answer and on "still running" (409, Retry-After) with the same key and body, then answers', async () => {
    fetchMock
      .mockResolvedValueOnce(proxy502())
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(json(409, { code: 'IDEMPOTENCY_KEY_IN_USE', message: 'running' }, { 'retry-after': '1' }))
      .mockResolvedValueOnce(json(201, created));
    const result = createTransfer(upload);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(250);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(500);
    expect(fetchMock).toHaveBeenCalledTimes(3);
    // Retry-After 1 is longer than the backoff's third step (1 s): the portal's word is kept.
    await vi.advanceTimersByTimeAsync(999);
    expect(fetchMock).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toEqual(created);
    const calls = sent();
    expect(calls).toHaveLength(4);
    expect(new Set(calls.map((c) => c.key)).size).toBe(1);
    expect(new Set(calls.map((c) => c.body)).size).toBe(1);
    expect(JSON.parse(calls[0]!.body as string)).toEqual(upload);
    expect(calls.every((c) => c.method === 'POST' && c.url === '/api/transfers')).toBe(true);
  });

  it("gives up after a few resends, and never resends the portal's own refusal or a node's failure", async () => {
    fetchMock.mockImplementation(async () => proxy502());
    const lost = createTransfer(upload).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await lost).toMatchObject({ status: 502 });
    expect(fetchMock).toHaveBeenCalledTimes(9);

    for (const answer of [
      json(409, { code: 'NAME_TAKEN', message: 'a.txt already exists.' }),
      json(422, { code: 'IDEMPOTENCY_KEY_REUSED', message: 'reused' }),
      json(502, { code: 'NODE_UNAVAILABLE', message: 'node down' }),
    ]) {
      fetchMock.mockReset().mockResolvedValueOnce(answer);
      const refused = createTransfer(upload).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(await refused).toBeInstanceOf(ApiError);
      expect(fetchMock).toHaveBeenCalledTimes(1);
    }
  });
});

describe('a write without a key', () => {
  it('is never resent: a report that met a proxy 502 fails once', async () => {
    fetchMock.mockImplementation(async () => proxy502());
    const report = reportTransfer('t1', { status: 'running' }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await report).toMatchObject({ status: 502 });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(sent()[0]!.key).toBeNull();
  });
});
