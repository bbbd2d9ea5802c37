// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PROGRESS_FLUSH_MS } from './progress-slice';
import { useTransfersStore } from './transfers-store';

describe('the transfer store in localStorage', () => {
  afterEach(() => vi.useRealTimers());

  it('is not rewritten by live progress, only when what it keeps changes', () => {
    vi.useFakeTimers();
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    const { apply, setCarrier, remove } = useTransfersStore.getState();
    setCarrier('t1', { kind: 'desktop', reason: 'Desktop runs' });
    expect(setItem).toHaveBeenCalledTimes(1);
    for (let i = 1; i <= 100; i++) {
      apply({ transferId: 't1', status: 'running', bytesDone: i * 10, bytesTotal: 1000 }, i * PROGRESS_FLUSH_MS);
      vi.advanceTimersByTime(PROGRESS_FLUSH_MS);
    }
    expect(useTransfersStore.getState().byId.t1?.bytesDone).toBe(1000);
    expect(setItem).toHaveBeenCalledTimes(1);
    remove('t1');
    expect(setItem).toHaveBeenCalledTimes(2);
    const saved = JSON.parse(localStorage.getItem('courier-transfers') ?? '{}') as {
      state: { removed: Record<string, true>; carriers: Record<string, unknown> };
    };
    expect(saved.state.removed).toEqual({ t1: true });
    expect(saved.state.carriers.t1).toMatchObject({ kind: 'desktop' });
  });
});
