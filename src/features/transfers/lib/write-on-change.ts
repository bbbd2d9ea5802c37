import type { PersistStorage, StorageValue } from 'zustand/middleware';

/**
 * zustand's `persist` writes the persisted part of the state on every `set`, and live progress
 * sets hundreds of times a second while nothing persisted changes. With 500 Desktop transfers each
 * reporting once a second, serialising the 500 carriers into localStorage on every event grew the
 * renderer past 9 GB within minutes and crashed the page (bench/benchmarks/spa.ts). This storage
 * writes only when a persisted field is a new value; the store replaces its fields, never mutates.
 */
export function writeOnChange<S extends object>(storage: PersistStorage<S> | undefined): PersistStorage<S> | undefined {
  if (!storage) return undefined;
  const written = new Map<string, StorageValue<S>>();
  const unchanged = (a: StorageValue<S>, b: StorageValue<S>) =>
    a.version === b.version &&
    Object.keys(b.state).length === Object.keys(a.state).length &&
    Object.entries(b.state).every(([key, value]) => Object.is(value, (a.state as Record<string, unknown>)[key]));
  return {
    getItem: (name) => storage.getItem(name),
    setItem: (name, value) => {
      const last = written.get(name);
      if (last && unchanged(last, value)) return;
      written.set(name, value);
      return storage.setItem(name, value);
    },
    removeItem: (name) => {
      written.delete(name);
      return storage.removeItem(name);
    },
  };
}
