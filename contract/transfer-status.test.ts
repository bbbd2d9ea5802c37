import { describe, expect, it } from 'vitest';
import { isEnded } from './transfer-status';

describe('transfer status', () => {
  it('ends with completed, failed or cancelled, from the record or the client', () => {
    expect(['completed', 'failed', 'cancelled'].every(isEnded)).toBe(true);
    expect(['authorized', 'queued', 'starting', 'running', 'paused'].some(isEnded)).toBe(false);
  });
});
