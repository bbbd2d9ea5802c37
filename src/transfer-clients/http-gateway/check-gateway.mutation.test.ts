import { describe, expect, it, vi } from 'vitest';
import { checkGateway } from './check-gateway';

// `toMatchObject({ reason: /re/ })` passes for any string (Vitest takes a RegExp there as an
// object with no keys, a subset of anything), so Stryker found the reasons untested while
// check-gateway.test.ts was written that way; both files now use expect.stringMatching.
const answer =
  (body: unknown, status = 200) =>
  async () =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });

describe('checkGateway, request and reasons', () => {
  it('asks {base}/info without cookies and with a time limit', async () => {
    const doFetch = vi.fn(answer({ version: '3.0.0' }));
    await checkGateway(' gw.example/aspera/http-gwy/ ', doFetch);
    const [url, init] = doFetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://gw.example/aspera/http-gwy/info');
    expect(init.credentials).toBe('omit');
    expect(init.signal).toBeInstanceOf(AbortSignal);
  });

  it('uses the page fetch when none is given', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(answer({ version: '3.2' }));
    try {
      expect(await checkGateway('https://gw', undefined)).toEqual({ available: true });
      expect(fetchSpy).toHaveBeenCalledWith('https://gw/info', expect.objectContaining({ credentials: 'omit' }));
    } finally {
      fetchSpy.mockRestore();
    }
  });

  it('explains each failure in words', async () => {
    expect(await checkGateway('https://gw', async () => Promise.reject(new TypeError('Failed to fetch')))).toEqual({
      available: false,
      reason: expect.stringMatching(/cannot be reached/),
    });
    expect(await checkGateway('https://gw', answer({}, 502))).toEqual({
      available: false,
      reason: expect.stringMatching(/answered 502.*administrator/),
    });
    expect(await checkGateway('https://gw', answer('<html>'))).toEqual({
      available: false,
      reason: expect.stringMatching(/does not answer like an HTTP Gateway/),
    });
    expect(await checkGateway('https://gw', answer({ version: '2.9.1' }))).toEqual({
      available: false,
      reason: expect.stringMatching(/version 2\.9\.1; Courier needs version 3/),
    });
    expect(await checkGateway('https://gw', answer({ version: 'beta' }))).toEqual({
      available: false,
      reason: expect.stringMatching(/version beta/),
    });
  });

  it('takes a gateway that does not say its version, or says only the major, as v3', async () => {
    expect(await checkGateway('https://gw', answer({}))).toEqual({ available: true });
    expect(await checkGateway('https://gw', answer({ version: '4' }))).toEqual({ available: true });
    expect(await checkGateway('https://gw', answer({ version: '10.2.0' }))).toEqual({ available: true });
  });
});
