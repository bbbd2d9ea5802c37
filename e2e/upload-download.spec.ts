import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { readZip } from './support/read-zip';
import { createFolder, expectInTray, filesPage, openFolder, throttleUploads, transferRow } from './support/files-page';
import { docroot } from './support/docroot';
import { logInAsNewUser, logInByApi } from './support/portal-api';
import { sha256, sha256File, tempDir, writeRandomFile, writeText } from './support/local-files';

const BIG = 50 * 1024 * 1024;

async function openMyFiles(page: Page) {
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  await expect(filesPage(page).heading).toHaveText('My files');
}

/** A folder tree with what breaks naive uploaders: nesting, 0 bytes, Unicode and quotes, one big file. */
function makeTree(): { root: string; files: Record<string, string> } {
  const base = tempDir('courier-tree-');
  const root = path.join(base, 'Tree');
  const texts: Record<string, string> = {
    'readme.txt': 'hello from the tree\n',
    'zero.bin': '',
    'sub/deep/Ünïcødé – 文件.txt': 'unicode name\n',
    'sub/"quoted" and \'single\'.txt': 'quotes in the name\n',
  };
  for (const [rel, text] of Object.entries(texts)) writeText(path.join(root, rel), text);
  writeRandomFile(path.join(root, 'big.bin'), BIG);
  return { root, files: texts };
}

test('a folder tree picked with "Upload folder" goes up with rising progress and lands whole', async ({ page }) => {
  test.setTimeout(120_000);
  await logInByApi(page);
  await openMyFiles(page);
  const folder = `Upload ${randomUUID().slice(0, 8)}`;
  await createFolder(page, folder);
  await openFolder(page, folder);

  const { root } = makeTree();
  // 50 MB at 10 MB/s: about five seconds of visible progress.
  await throttleUploads(page, 10 * 1024 * 1024);
  await filesPage(page).folderInput.setInputFiles(root);
  await expectInTray(page, `Tree to ${folder}`);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transfers' }).click();
  const transfer = transferRow(page, `Tree to ${folder}`);
  await expect(transfer.row).toBeVisible();
  const seen = new Set<number>();
  await expect(async () => {
    const now = Number(await transfer.progress.getAttribute('aria-valuenow'));
    seen.add(now);
    expect(now).toBe(100);
  }).toPass({ timeout: 60_000, intervals: [200] });
  expect(
    [...seen].some((v) => v > 0 && v < 100),
    `values seen: ${[...seen].join(', ')}`,
  ).toBe(true);
  await expect(transfer.status).toHaveText('Completed');
  await expect(transfer.row).toContainText('5 files');

  await page.goBack();
  const files = filesPage(page);
  await openFolder(page, 'Tree');
  for (const name of ['readme.txt', 'zero.bin', 'big.bin', 'sub']) await expect(files.entry(name)).toBeVisible();
  await expect(files.row('zero.bin')).toContainText('0 B');
  await expect(files.row('big.bin')).toContainText('52.4 MB');
  await openFolder(page, 'sub');
  await expect(files.entry('"quoted" and \'single\'.txt')).toBeVisible();
  await openFolder(page, 'deep');
  await expect(files.entry('Ünïcødé – 文件.txt')).toBeVisible();
});

test('files dropped on the folder view show a drop target, upload, and download with their SHA-256', async ({ page }) => {
  test.setTimeout(90_000);
  await logInByApi(page);
  await openMyFiles(page);
  // The folder to zip sits in one of this test's own: My files changes under the other tests.
  const parent = `Drop ${randomUUID().slice(0, 8)}`;
  await createFolder(page, parent);
  await openFolder(page, parent);
  const folder = 'dropped';
  await createFolder(page, folder);
  await openFolder(page, folder);
  const files = filesPage(page);

  const content = `dropped at ${Date.now()} ✓ "quoted"\n`.repeat(500);
  // Playwright can hand a real drop only files: a DataTransfer built in the page.
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped "one" é.txt', { type: 'text/plain' }));
    dt.items.add(new File([], 'empty.txt'));
    return dt;
  }, content);
  const zone = page.locator('section.courier-files');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await expect(files.dropTarget).toBeVisible();
  await zone.dispatchEvent('drop', { dataTransfer });
  await expect(files.dropTarget).toBeHidden();
  await expect(files.entry('dropped "one" é.txt')).toBeVisible({ timeout: 20_000 });
  await expect(files.entry('empty.txt')).toBeVisible();

  // One file: streamed through the page and saved by the browser.
  await files.entry('dropped "one" é.txt').click();
  const [download] = await Promise.all([page.waitForEvent('download'), files.download.click()]);
  const saved = test.info().outputPath('one.txt');
  await download.saveAs(saved);
  expect(await sha256File(saved)).toBe(sha256(content));

  // The whole folder: a zip, whose entries carry the originals' bytes.
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: parent }).click();
  await expect(files.heading).toHaveText(parent);
  await files.select(folder);
  const [zipDownload] = await Promise.all([page.waitForEvent('download'), files.download.click()]);
  const zipPath = test.info().outputPath('folder.zip');
  await zipDownload.saveAs(zipPath);
  const entries = await readZip(zipPath);
  const byName = new Map([...entries].map(([name, hash]) => [path.posix.basename(name), hash]));
  expect(byName.get('dropped "one" é.txt')).toBe(sha256(content));
  expect(byName.get('empty.txt')).toBe(sha256(''));
});

test('cancelling an upload midway says so and leaves no partial file in the listing', async ({ page }) => {
  test.setTimeout(90_000);
  await logInByApi(page);
  await openMyFiles(page);
  const folder = `Cancel ${randomUUID().slice(0, 8)}`;
  await createFolder(page, folder);
  await openFolder(page, folder);
  const big = path.join(tempDir('courier-cancel-'), 'partial.bin');
  writeRandomFile(big, 20 * 1024 * 1024);
  // 20 MB at 1 MB/s: twenty seconds, plenty of time to cancel.
  await throttleUploads(page, 1024 * 1024);
  await filesPage(page).filesInput.setInputFiles(big);
  await expectInTray(page, `partial.bin to ${folder}`);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transfers' }).click();
  const transfer = transferRow(page, `partial.bin to ${folder}`);
  await expect(async () => {
    expect(Number(await transfer.progress.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  }).toPass({ timeout: 20_000 });
  await transfer.cancel.click();
  await expect(transfer.status).toHaveText('Cancelled');
  await expect(transfer.cancel).toBeHidden();

  await page.goBack();
  await expect(page.getByText('This folder is empty')).toBeVisible();
  // And not after a fresh look either (the node may still be closing the upload).
  await page.waitForTimeout(1000);
  await page.reload();
  await expect(page.getByText('This folder is empty')).toBeVisible();
});

test('two downloads in a row of files last changed a day ago each save their own bytes, not the first one cached', async ({ page }) => {
  // Every gateway download has one URL (/v3/download) and differs only in its X-Aspera-Spec header.
  // A file a day old gives a validator the browser's heuristic cache would trust for hours, so a
  // cached first answer would come back as the second file (seen: a zip saved with a photo's bytes).
  const { username } = await logInAsNewUser(page, 'Cara Cache');
  const folder = docroot('home', username);
  mkdirSync(folder, { recursive: true });
  const dayAgo = new Date(Date.now() - 24 * 3600_000);
  for (const [name, text] of [
    ['first.txt', 'the first file\n'],
    ['second.txt', 'the second file, longer\n'],
  ] as const) {
    writeFileSync(path.join(folder, name), text);
    utimesSync(path.join(folder, name), dayAgo, dayAgo);
  }
  await openMyFiles(page);
  const files = filesPage(page);
  for (const [name, text] of [
    ['first.txt', 'the first file\n'],
    ['second.txt', 'the second file, longer\n'],
  ] as const) {
    for (const box of await files.grid.getByRole('checkbox', { checked: true }).all()) await box.uncheck();
    await files.select(name);
    const [download] = await Promise.all([page.waitForEvent('download'), files.download.click()]);
    expect(download.suggestedFilename()).toBe(name);
    const saved = test.info().outputPath(name);
    await download.saveAs(saved);
    expect(readFileSync(saved, 'utf8')).toBe(text);
  }
});
