/** Which part failures a node-to-node send rides out, and how long it waits (docs/node-api.md §5.1). */
import { describe, expect, it } from 'vitest';
import { NodeError } from '../errors';
import { isTransient, RETRY_AFTER_MAX_MS, retryDelayMs } from './part-retry';

describe('isTransient', () => {
  it('retries a lost connection and the statuses a proxy or a busy server answers', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) expect(isTransient(new NodeError(status, 'x', 'remote'), false)).toBe(true);
  });

  it('fails at once on a refusal, and on a local file that changed', () => {
    for (const status of [400, 401, 403, 404, 409, 411, 413, 422, 507])
      expect(isTransient(new NodeError(status, 'x', 'remote'), false), String(status)).toBe(false);
    expect(isTransient(new NodeError(409, 'changed', 'changed'), true)).toBe(false);
    expect(isTransient(new Error('not a node error'), true)).toBe(false);
  });

  it("retries a 409 only on a part sent again (the remote still writing this node's cut part)", () => {
    expect(isTransient(new NodeError(409, 'being received', 'remote'), true)).toBe(true);
    expect(isTransient(new NodeError(403, 'no', 'remote'), true)).toBe(false);
  });
});

describe('retryDelayMs', () => {
  it('doubles the base at each attempt', () => {
    expect([1, 2, 3].map((attempt) => retryDelayMs(attempt, 500, undefined))).toEqual([500, 1000, 2000]);
  });

  it('takes Retry-After in seconds or as a date instead, capped', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryDelayMs(1, 500, '3', now)).toBe(3000);
    expect(retryDelayMs(3, 500, '0', now)).toBe(0);
    expect(retryDelayMs(1, 500, 'Thu, 01 Jan 2026 00:00:04 GMT', now)).toBe(4000);
    expect(retryDelayMs(1, 500, 'Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(retryDelayMs(1, 500, '3600', now)).toBe(RETRY_AFTER_MAX_MS);
  });

  it('ignores a Retry-After it cannot read', () => {
    expect(retryDelayMs(2, 500, 'soon', 0)).toBe(1000);
    expect(retryDelayMs(2, 500, '-1', 0)).toBe(1000);
  });
});
