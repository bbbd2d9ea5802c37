import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './api-error';
import { createQueryClient, shouldRetry } from './create-query-client';

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

describe('shouldRetry', () => {
  it('retries only what another try could fix', () => {
    expect(shouldRetry(0, new ApiError({ code: 'NOT_FOUND', message: '', status: 404 }))).toBe(false);
    expect(shouldRetry(0, new ApiError({ code: 'INTERNAL', message: '', status: 503 }))).toBe(true);
    expect(shouldRetry(0, new ApiError({ code: 'NETWORK_ERROR', message: '', status: 0 }))).toBe(true);
    expect(shouldRetry(2, new ApiError({ code: 'NETWORK_ERROR', message: '', status: 0 }))).toBe(false);
  });
});
