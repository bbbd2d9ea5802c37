import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './api-error';
import { createQueryClient, keyedWriteRetryDelay, shouldRetry } from './create-query-client';

const lost = () => new ApiError({ code: 'SESSION_EXPIRED', message: 'Expired', status: 401 });

describe('createQueryClient', () => {
  it('reports a lost session from any query', async () => {
    const onSessionLost = vi.fn();
    const client = createQueryClient({ onSessionLost });
    await expect(
      client.fetchQuery({
        queryKey: ['files'],
        queryFn: () => Promise.reject(lost()),
        retry: false,
      }),
    ).rejects.toBeInstanceOf(ApiError);
    expect(onSessionLost).toHaveBeenCalledTimes(1);
  });

  it('reports a lost session from any mutation', async () => {
    const onSessionLost = vi.fn();
    const client = createQueryClient({ onSessionLost });
    const mutation = client.getMutationCache().build(client, { mutationFn: () => Promise.reject(lost()) });
    await expect(mutation.execute(undefined)).rejects.toBeInstanceOf(ApiError);
    expect(onSessionLost).toHaveBeenCalledTimes(1);
  });

  it('leaves the session query itself and other errors alone', async () => {
    const onSessionLost = vi.fn();
    const client = createQueryClient({ onSessionLost });
    await expect(
      client.fetchQuery({
        queryKey: ['session'],
        queryFn: () => Promise.reject(lost()),
        retry: false,
        meta: { ownsSession: true },
      }),
    ).rejects.toBeInstanceOf(ApiError);
    await expect(
      client.fetchQuery({
        queryKey: ['x'],
        queryFn: () => Promise.reject(new ApiError({ code: 'FORBIDDEN', message: 'No', status: 403 })),
        retry: false,
      }),
    ).rejects.toBeInstanceOf(ApiError);
    expect(onSessionLost).not.toHaveBeenCalled();
  });
});

describe('retries across a lost portal instance (docs/deployment.md §5)', () => {
  const answered = (status: number) => new ApiError({ code: status === 0 ? 'NETWORK_ERROR' : 'INTERNAL', message: '', status });

  it.each([502, 503, 504, 0])('retries a read that got %i after a short backoff, and shows its answer', async (status) => {
    vi.useFakeTimers();
    try {
      const client = createQueryClient({ onSessionLost: vi.fn() });
      const queryFn = vi.fn().mockRejectedValueOnce(answered(status)).mockResolvedValueOnce(['space']);
      const result = client.fetchQuery({ queryKey: ['spaces', status], queryFn });
      await vi.advanceTimersByTimeAsync(0);
      // Not at once: the balancer needs a moment to mark a dead instance down.
      expect(queryFn).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1000);
      await expect(result).resolves.toEqual(['space']);
      expect(queryFn).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never resends a write: a POST the dead instance may have done fails to the user instead', async () => {
    const client = createQueryClient({ onSessionLost: vi.fn() });
    const mutationFn = vi.fn().mockRejectedValue(answered(502));
    const mutation = client.getMutationCache().build(client, { mutationFn });
    await expect(mutation.execute(undefined)).rejects.toBeInstanceOf(ApiError);
    expect(mutationFn).toHaveBeenCalledTimes(1);
  });
});

describe('shouldRetry', () => {
  it('retries only what another try could fix', () => {
    expect(shouldRetry(0, new ApiError({ code: 'NOT_FOUND', message: '', status: 404 }))).toBe(false);
    expect(shouldRetry(0, new ApiError({ code: 'INTERNAL', message: '', status: 503 }))).toBe(true);
    expect(shouldRetry(0, new ApiError({ code: 'NETWORK_ERROR', message: '', status: 0 }))).toBe(true);
    expect(shouldRetry(2, new ApiError({ code: 'NETWORK_ERROR', message: '', status: 0 }))).toBe(false);
  });
});

describe('keyedWriteRetryDelay (docs/api.md §8)', () => {
  const error = (status: number, code: string, retryAfterSeconds?: number) =>
    new ApiError({ code: code as ApiError['code'], message: '', status, retryAfterSeconds });

  it('waits what the portal says when it is short, and shows a long wait instead of sitting it out', () => {
    expect(keyedWriteRetryDelay(1, error(503, 'SERVER_BUSY', 2))).toBe(2000);
    expect(keyedWriteRetryDelay(1, error(503, 'SERVER_BUSY', 30))).toBeNull();
    expect(keyedWriteRetryDelay(1, error(429, 'TOO_MANY_ATTEMPTS', 1))).toBeNull();
  });

  it('backs off from 250 ms to 2 s, and stops after its last resend', () => {
    expect([1, 2, 3, 4, 8].map((n) => keyedWriteRetryDelay(n, error(504, 'INTERNAL')))).toEqual([250, 500, 1000, 2000, 2000]);
    expect(keyedWriteRetryDelay(9, error(0, 'NETWORK_ERROR'))).toBeNull();
    expect(keyedWriteRetryDelay(1, new Error('not an answer'))).toBeNull();
  });
});
