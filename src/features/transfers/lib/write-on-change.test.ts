import { describe, expect, it, vi } from 'vitest';
import type { PersistStorage } from 'zustand/middleware';
import { writeOnChange } from './write-on-change';

type State = { removed: Record<string, true>; preference: string };

function recording() {
  const setItem = vi.fn();
  const storage: PersistStorage<State> = { getItem: () => null, setItem, removeItem: vi.fn() };
  return { storage: writeOnChange(storage)!, setItem };
}

describe('writeOnChange', () => {
  it('writes once per new value of a persisted field, not on every set', () => {
    const { storage, setItem } = recording();
    const removed = {};
    storage.setItem('k', { state: { removed, preference: 'auto' }, version: 0 });
    storage.setItem('k', { state: { removed, preference: 'auto' }, version: 0 });
    expect(setItem).toHaveBeenCalledTimes(1);
    storage.setItem('k', { state: { removed: { t1: true }, preference: 'auto' }, version: 0 });
    storage.setItem('k', { state: { removed: { t1: true }, preference: 'desktop' }, version: 0 });
    expect(setItem).toHaveBeenCalledTimes(3);
    expect(setItem).toHaveBeenLastCalledWith('k', { state: { removed: { t1: true }, preference: 'desktop' }, version: 0 });
  });

  it('writes again after a removal, and keeps names apart', () => {
    const { storage, setItem } = recording();
    const value = { state: { removed: {}, preference: 'auto' }, version: 0 };
    storage.setItem('a', value);
    storage.setItem('b', value);
    storage.removeItem('a');
    storage.setItem('a', value);
    expect(setItem.mock.calls.map(([name]) => name)).toEqual(['a', 'b', 'a']);
  });

  it('passes no storage through (localStorage unavailable)', () => {
    expect(writeOnChange(undefined)).toBeUndefined();
  });
});

describe('writeOnChange, what counts as a change', () => {
  it('writes when the version changes or a persisted field is dropped, and reads through', () => {
    const getItem = vi.fn(() => null);
    const setItem = vi.fn();
    const storage = writeOnChange<Partial<State>>({ getItem, setItem, removeItem: vi.fn() })!;
    const removed = {};
    storage.setItem('k', { state: { removed, preference: 'auto' }, version: 0 });
    storage.setItem('k', { state: { removed, preference: 'auto' }, version: 1 });
    storage.setItem('k', { state: { removed }, version: 1 });
    expect(setItem).toHaveBeenCalledTimes(3);
    expect(storage.getItem('k')).toBeNull();
    expect(getItem).toHaveBeenCalledWith('k');
  });
});
