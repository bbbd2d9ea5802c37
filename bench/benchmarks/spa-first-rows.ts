/**
 * Time from navigation start to the first entry rows of a large folder, in Chromium: a deep link
 * to the folder opened in a fresh context (empty HTTP cache, the session's cookie), the moment
 * taken in the page by a MutationObserver when the grid gets its first row with an entry.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext } from '@playwright/test';
import type { PortalSession } from '../lib/clients';
import type { CourierProcess } from '../lib/processes';
import { shell } from '../lib/tools';

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** Writes `entries` empty files into a new folder of the space; returns the folder's name. */
export async function largeFolder(courier: CourierProcess, nodeFolder: string, entries: number): Promise<string> {
  const folder = `entries-${entries}`;
  const abs = path.join(courier.docroot, nodeFolder, folder);
  mkdirSync(abs, { recursive: true });
  // xargs touch: about three times faster than fs calls for 100,000 entries (browse.ts).
  await shell(`seq -f 'file-%06g.txt' 0 ${entries - 1} | xargs touch`, abs);
  return folder;
}

/** The portal session's cookie as a Playwright storage state, so each run starts with an empty cache but logged in. */
export function sessionState(session: PortalSession): StorageState {
  const [name, ...value] = session.cookie.split('=');
  const { hostname } = new URL(session.url);
  return {
    cookies: [
      {
        name: name ?? '',
        value: value.join('='),
        domain: hostname,
        path: '/',
        expires: -1,
        httpOnly: true,
        secure: false,
        sameSite: 'Lax',
      },
    ],
    origins: [],
  };
}

declare global {
  interface Window {
    __courierFirstRowAt?: number;
  }
}

/** Runs in the page before its scripts: notes when a row holding an entry's checkbox first exists. */
function watchFirstRow(): void {
  const observer = new MutationObserver(() => {
    if (document.querySelector('[role="grid"] [role="row"] input[aria-label^="Select "]')) {
      window.__courierFirstRowAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
}

export interface FirstRows {
  /** Milliseconds from navigation start to the first entry row in the DOM. */
  ms: number;
  /** The grid's row count, to prove the whole folder was announced. */
  rowCount: number;
  /** Script and stylesheet URLs this load fetched. */
  assets: string[];
}

export async function timeToFirstRows(browser: Browser, baseURL: string, state: StorageState, url: string): Promise<FirstRows> {
  const context = await browser.newContext({ baseURL, storageState: state });
  try {
    const page = await context.newPage();
    const assets: string[] = [];
    page.on('response', (r) => {
      const type = r.request().resourceType();
      if (type === 'script' || type === 'stylesheet') assets.push(r.url());
    });
    await page.addInitScript(watchFirstRow);
    await page.goto(url);
    await page.waitForFunction(() => window.__courierFirstRowAt !== undefined, undefined, { timeout: 60_000 });
    const ms = await page.evaluate(() => window.__courierFirstRowAt ?? NaN);
    const rowCount = Number(await page.getByRole('grid').getAttribute('aria-rowcount'));
    // Let lazy chunks the page asked for land before the list of fetched assets is read.
    await page.waitForLoadState('networkidle');
    return { ms, rowCount: rowCount - 1, assets };
  } finally {
    await context.close();
  }
}
