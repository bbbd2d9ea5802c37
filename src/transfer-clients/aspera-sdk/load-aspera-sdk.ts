import type { AsperaSdkGlobal } from './sdk-types';

type SdkWindow = Window & { asperaSdk?: AsperaSdkGlobal };

/** A CDN that never answers must not leave "Connecting…" on screen forever. */
export const DEFAULT_SDK_LOAD_TIMEOUT_MS = 15_000;

const loads = new WeakMap<Window, Promise<AsperaSdkGlobal>>();

/**
 * Loads the SDK bundle once per page (docs/aspera-sdk.md §1: a second copy replaces `window.asperaSdk`
 * with an uninitialised instance). A failed or timed-out load is forgotten so a later call can retry.
 * Rejects with an Error whose message says what to fix.
 */
export function loadAsperaSdk(url: string, win: Window = window, timeoutMs = DEFAULT_SDK_LOAD_TIMEOUT_MS): Promise<AsperaSdkGlobal> {
  const w = win as SdkWindow;
  if (w.asperaSdk) return Promise.resolve(w.asperaSdk);
  const pending = loads.get(win);
  if (pending) return pending;
  const load = new Promise<AsperaSdkGlobal>((resolve, reject) => {
    const doc = win.document;
    const script = doc.createElement('script');
    // §1: the bundle overwrites window.onbeforeunload (a warning for legacy v2 uploads we never
    // run); put the page's own handler back so the portal keeps control of leave-page prompts.
    const pageBeforeUnload = w.onbeforeunload;
    const fail = (why: string) => {
      clearTimeout(timer);
      script.remove();
      loads.delete(win);
      reject(
        new Error(
          `The IBM Aspera SDK could not be loaded from ${url}: ${why}. Ask an administrator to check the SDK URL in Courier's settings.`,
        ),
      );
    };
    const timer = setTimeout(() => fail(`no answer within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    script.onload = () => {
      clearTimeout(timer);
      w.onbeforeunload = pageBeforeUnload;
      if (w.asperaSdk) resolve(w.asperaSdk);
      else fail('the script loaded but did not define window.asperaSdk (is it the browser bundle dist/js/aspera-sdk.js?)');
    };
    script.onerror = () => fail('the script could not be fetched');
    script.async = true;
    script.src = url;
    doc.head.append(script);
  });
  loads.set(win, load);
  return load;
}
