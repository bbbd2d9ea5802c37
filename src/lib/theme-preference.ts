/**
 * The colour theme the user chose in the user menu. "system" follows the operating system's
 * setting through CSS alone (prefers-color-scheme in styles/index.scss); "light" and "dark" are an
 * attribute on <html> that public/theme-boot.js sets again before the first paint of every load.
 */
export const THEME_PREFERENCES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];

/** Also read by public/theme-boot.js, which cannot import it. */
export const THEME_STORAGE_KEY = 'courier-theme';
export const THEME_ATTRIBUTE = 'data-courier-theme';

const listeners = new Set<() => void>();

function isThemePreference(value: unknown): value is ThemePreference {
  return typeof value === 'string' && (THEME_PREFERENCES as readonly string[]).includes(value);
}

export function readThemePreference(): ThemePreference {
  try {
    const stored = window.localStorage.getItem(THEME_STORAGE_KEY);
    return isThemePreference(stored) ? stored : 'system';
  } catch {
    return 'system';
  }
}

function apply(preference: ThemePreference): void {
  const root = document.documentElement;
  if (preference === 'system') root.removeAttribute(THEME_ATTRIBUTE);
  else root.setAttribute(THEME_ATTRIBUTE, preference);
}

export function setThemePreference(preference: ThemePreference): void {
  try {
    if (preference === 'system') window.localStorage.removeItem(THEME_STORAGE_KEY);
    else window.localStorage.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // Not remembered (storage refused), but still applied to this page.
  }
  apply(preference);
  for (const listener of listeners) listener();
}

/** For useSyncExternalStore: a change here or in another tab (the storage event). */
export function subscribeThemePreference(listener: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key !== THEME_STORAGE_KEY && event.key !== null) return;
    apply(readThemePreference());
    listener();
  };
  listeners.add(listener);
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}
