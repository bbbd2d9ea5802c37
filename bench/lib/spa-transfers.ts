/**
 * The SPA's uploads and downloads driven as a person drives them in Chromium: pick with the
 * folder view's file inputs, confirm the review, watch the transfers page; select and click
 * Download. The browser benchmarks time these against curl and nginx.
 */
import type { Download, Page } from '@playwright/test';

// The largest default transfer is 1 GiB (or 10,000 files); ten minutes is a stall, not a slow disk.
const TRANSFER_TIMEOUT_MS = 10 * 60_000;

/** A space's root folder, freshly loaded (no selection, no dialog left from the last run). */
export async function openSpace(page: Page, spaceId: string, spaceName: string): Promise<void> {
  await page.goto(`/files/${spaceId}`);
  await page.getByRole('heading', { level: 1, name: spaceName }).waitFor();
}

/** Seconds from the start of a pick to each step the person sees; `completed` is the whole upload. */
export interface UploadPhases {
  /** Chromium holding the files (setInputFiles: the directory walk a real pick does too). */
  picked: number;
  /** The SPA's intake done: the review dialog, or the upload started without one. */
  accepted: number;
  completed: number;
}

/**
 * `source` through "Upload files" (a file) or "Upload folder" (a directory, as `webkitdirectory`
 * hands it), then the transfers page until the row titled `title` ends. Throws unless it completed.
 */
export async function uploadThroughSpa(page: Page, input: 'files' | 'folder', source: string, title: string): Promise<UploadPhases> {
  const started = performance.now();
  const since = () => (performance.now() - started) / 1000;
  // The upload is asked for (no review) or the review shows: whichever comes first. Not the
  // transfer tray, which may still list an earlier run's transfers.
  const asked = page
    .waitForResponse((r) => r.url().endsWith('/api/transfers') && r.request().method() === 'POST', { timeout: TRANSFER_TIMEOUT_MS })
    .catch(() => undefined);
  await page.getByTestId(input === 'files' ? 'upload-files-input' : 'upload-folder-input').setInputFiles(source);
  const picked = since();
  // Past 100 files or 1 GB the SPA shows the drop for review first (check-upload.ts).
  const review = page.getByRole('button', { name: 'Start upload' });
  await Promise.race([review.waitFor({ timeout: TRANSFER_TIMEOUT_MS }).catch(() => undefined), asked]);
  const accepted = since();
  if (await review.isVisible()) await review.click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transfers' }).click();
  await waitForEnd(page, title);
  return { picked, accepted, completed: since() };
}

async function waitForEnd(page: Page, title: string): Promise<void> {
  const list = page.getByRole('list', { name: 'Transfers', exact: true });
  const row = list.getByRole('listitem').filter({ has: page.getByText(title, { exact: true }) });
  const status = row.locator('.courier-transfer__status');
  await status.filter({ hasText: /^(Completed|Failed|Cancelled)$/ }).waitFor({ timeout: TRANSFER_TIMEOUT_MS });
  const text = await status.textContent();
  if (text !== 'Completed') throw new Error(`the transfer "${title}" ended ${text}: ${await row.textContent()}`);
}

/** The seconds from Playwright's download event to the file fully written, and where it is. */
export async function timeDownload(
  page: Page,
  trigger: () => Promise<void>,
): Promise<{ seconds: number; download: Download; file: string }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: TRANSFER_TIMEOUT_MS }), trigger()]);
  const started = performance.now();
  const file = await download.path();
  const seconds = (performance.now() - started) / 1000;
  const failure = await download.failure();
  if (failure) throw new Error(`the download of ${download.url()} failed: ${failure}`);
  return { seconds, download, file };
}

/** The SPA's Download button on one selected entry of the open folder. */
export async function clickDownload(page: Page, name: string): Promise<void> {
  await page
    .getByRole('grid')
    .getByRole('checkbox', { name: `Select ${name}`, exact: true })
    .check();
  await page.getByRole('toolbar', { name: 'Folder actions' }).getByRole('button', { name: 'Download' }).click();
}

/** A plain hidden iframe on `url`: how a page hands any link to the browser's download manager. */
export async function downloadInFrame(page: Page, url: string): Promise<void> {
  await page.evaluate((src) => {
    const frame = document.createElement('iframe');
    frame.hidden = true;
    frame.src = src;
    document.body.append(frame);
  }, url);
}
