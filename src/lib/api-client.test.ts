import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CSRF_HEADER, SESSION_ENDS_IN_HEADER } from '../../contract/session-header';
import { ApiError, api, isSessionLostError, setCsrfToken, setSessionListener, type SessionSignal } from './api-client';

const fetchMock = vi.fn<typeof fetch>();

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  setCsrfToken(null);
});

afterEach(() => {
  vi.unstubAllGlobals();
  setSessionListener(null);
});

describe('api client: what answers say about the session', () => {
  let signals: SessionSignal[];
  beforeEach(() => {
    signals = [];
    setSessionListener((signal) => signals.push(signal));
  });

  it('passes on how long the session has left, from answers and refusals alike', async () => {
    fetchMock.mockResolvedValueOnce(json(200, {}, { [SESSION_ENDS_IN_HEADER]: '1799000' }));
    await api.get('/api/spaces');
    fetchMock.mockResolvedValueOnce(json(403, { code: 'FORBIDDEN', message: 'No' }, { [SESSION_ENDS_IN_HEADER]: '1200' }));
    await failure(api.post('/api/transfers', {}));
    expect(signals).toEqual([
      { kind: 'ends-in', ms: 1_799_000 },
      { kind: 'ends-in', ms: 1200 },
    ]);
  });

  it('ignores a header that is not a whole number of milliseconds', async () => {
    for (const value of ['-5', 'soon', '1e9', '']) {
      fetchMock.mockResolvedValueOnce(json(200, {}, { [SESSION_ENDS_IN_HEADER]: value }));
      await api.get('/api/spaces');
    }
    expect(signals).toEqual([]);
  });

  it('reports a session lost by any request, unless the request itself asks about the session', async () => {
    fetchMock.mockResolvedValueOnce(json(401, { code: 'SESSION_EXPIRED', message: 'Expired' }));
    await failure(api.post('/api/transfers', {}));
    fetchMock.mockResolvedValueOnce(json(401, { code: 'UNAUTHENTICATED', message: 'Log in' }));
    await failure(api.patch('/api/transfers/t1', {}));
    expect(signals).toEqual([{ kind: 'lost' }, { kind: 'lost' }]);

    fetchMock.mockResolvedValueOnce(json(401, { code: 'SESSION_EXPIRED', message: 'Expired' }));
    await failure(api.get('/api/session', { ownsSession: true }));
    fetchMock.mockResolvedValueOnce(json(401, { code: 'INVALID_CREDENTIALS', message: 'Wrong' }));
    await failure(api.post('/api/session', {}));
    expect(signals).toHaveLength(2);
  });
});

describe('api client: errors', () => {
  it('turns { code, message } into a typed ApiError', async () => {
    fetchMock.mockResolvedValue(json(401, { code: 'INVALID_CREDENTIALS', message: 'Wrong username or password' }));
    const error = await failure(api.post('/api/session', { username: 'a', password: 'b' }));
    expect(error).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      message: 'Wrong username or password',
      status: 401,
    });
    expect(isSessionLostError(error)).toBe(false);
  });

  it('keeps the retry time of a rate-limited request, from the body or the Retry-After header', async () => {
    fetchMock.mockResolvedValueOnce(json(429, { code: 'TOO_MANY_ATTEMPTS', message: 'Slow down', retryAfterSeconds: 42 }));
    expect((await failure(api.post('/api/session', {}))).retryAfterSeconds).toBe(42);

    fetchMock.mockResolvedValueOnce(json(429, { code: 'TOO_MANY_ATTEMPTS', message: 'Slow down' }, { 'retry-after': '7' }));
    expect((await failure(api.post('/api/session', {}))).retryAfterSeconds).toBe(7);
  });

  it('recognises a lost session, expired or never there', async () => {
    fetchMock.mockResolvedValueOnce(json(401, { code: 'SESSION_EXPIRED', message: 'Expired' }));
    expect(isSessionLostError(await failure(api.get('/api/things')))).toBe(true);
    fetchMock.mockResolvedValueOnce(json(401, { code: 'UNAUTHENTICATED', message: 'Log in' }));
    expect(isSessionLostError(await failure(api.get('/api/things')))).toBe(true);
  });

  it('falls back to the status when the body is not the contract shape (a proxy page)', async () => {
    fetchMock.mockResolvedValueOnce(new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    expect(await failure(api.get('/api/x'))).toMatchObject({
      code: 'INTERNAL',
      status: 502,
      message: 'The server answered 502 Bad Gateway.',
    });

    fetchMock.mockResolvedValueOnce(json(401, { error: 'nope' }));
    expect(await failure(api.get('/api/x'))).toMatchObject({
      code: 'UNAUTHENTICATED',
      status: 401,
    });

    fetchMock.mockResolvedValueOnce(json(404, { code: 'NOT_A_REAL_CODE', message: 'Gone' }));
    expect(await failure(api.get('/api/x'))).toMatchObject({ code: 'NOT_FOUND', message: 'Gone' });
  });

  it('reports no answer at all as NETWORK_ERROR with status 0', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    expect(await failure(api.get('/api/x'))).toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
  });

  it('lets a cancelled request reject with the abort itself, not an ApiError', async () => {
    const controller = new AbortController();
    controller.abort();
    fetchMock.mockRejectedValueOnce(new DOMException('Aborted', 'AbortError'));
    await expect(api.get('/api/x', { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('reports an unreadable success body as INVALID_RESPONSE', async () => {
    fetchMock.mockResolvedValueOnce(new Response('{not json', { status: 200 }));
    expect(await failure(api.get('/api/x'))).toMatchObject({ code: 'INVALID_RESPONSE' });
  });
});

describe('api client: requests', () => {
  it('uses the CSRF header the contract names', async () => {
    setCsrfToken('token-0');
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    await api.delete('/api/x');
    expect(new Headers(fetchMock.mock.calls[0]![1]?.headers).get(CSRF_HEADER)).toBe('token-0');
  });

  it('sends JSON with the session cookie and the CSRF token on state-changing requests', async () => {
    setCsrfToken('token-1');
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    await expect(api.post('/api/things', { name: 'x' })).resolves.toBeUndefined();

    const [url, init] = fetchMock.mock.calls[0]!;
    const headers = new Headers(init?.headers);
    expect(url).toBe('/api/things');
    expect(init).toMatchObject({
      method: 'POST',
      credentials: 'same-origin',
      body: '{"name":"x"}',
    });
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('x-csrf-token')).toBe('token-1');
  });

  it('sends no CSRF token on GET and none before a session exists', async () => {
    fetchMock.mockImplementation(() => Promise.resolve(json(200, { ok: true })));
    setCsrfToken('token-1');
    await api.get('/api/x');
    expect(new Headers(fetchMock.mock.calls[0]![1]?.headers).has('x-csrf-token')).toBe(false);

    setCsrfToken(null);
    await api.delete('/api/session');
    expect(new Headers(fetchMock.mock.calls[1]![1]?.headers).has('x-csrf-token')).toBe(false);
    expect(new Headers(fetchMock.mock.calls[1]![1]?.headers).has('content-type')).toBe(false);
  });

  it('returns the parsed JSON body', async () => {
    fetchMock.mockResolvedValue(json(200, { status: 'ok' }));
    await expect(api.get('/api/health')).resolves.toEqual({ status: 'ok' });
  });
});
