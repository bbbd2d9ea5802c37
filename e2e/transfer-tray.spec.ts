/**
 * The transfer tray on every page, the rows' files and facts, and what a reload mid-upload leaves
 * (issue 12 points 1-3), through the real gateway client, portal and node.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createFolder, filesPage, openFolder, throttleUploads, transferRow, transferTray } from './support/files-page';
import { tempDir, writeRandomFile, writeText } from './support/local-files';
import { logInByApi } from './support/portal-api';

const MB = 1024 * 1024;

async function openNewFolder(page: Page, prefix: string): Promise<string> {
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  const folder = `${prefix} ${randomUUID().slice(0, 8)}`;
  await createFolder(page, folder);
  await openFolder(page, folder);
  return folder;
}

const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

test('an upload started on Files shows in the tray on another page, with its progress, and its completion', async ({ page }) => {
  test.setTimeout(90_000);
  await logInByApi(page);
  const folder = await openNewFolder(page, 'Tray');
  const name = 'tray.bin';
  const source = path.join(tempDir('courier-tray-'), name);
  writeRandomFile(source, 6 * MB);
  // 6 MB at 1 MB/s: seconds of progress to watch from another page.
  await throttleUploads(page, MB);
  await filesPage(page).filesInput.setInputFiles(source);
  // No "Upload started" banner any more: the tray has it.
  await expect(page.getByText('Upload started')).toHaveCount(0);

  await mainNav(page).getByRole('link', { name: 'Files' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Files');
  const tray = transferTray(page);
  // Collapsed: how many run, how far along, how fast.
  await expect(tray.toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(tray.toggle).toContainText(/\d+ transfers? running · \d+% · [\d.]+ [KM]?B\/s/, { timeout: 20_000 });
  await tray.toggle.click();
  await expect(tray.toggle).toHaveAttribute('aria-expanded', 'true');
  const row = tray.row(`${name} to ${folder}`);
  await expect(row.row).toBeVisible();
  // The same row as the Transfers page: its controls too.
  await expect(row.cancel).toBeVisible();
  await throttleUploads(page, -1);
  await expect(row.status).toHaveText('Completed', { timeout: 60_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Upload complete' })).toBeVisible();
  await expect(row.row.getByRole('link', { name: 'Open folder' })).toBeVisible();

  // Escape folds the tray back and leaves focus on its bar.
  await row.cancel
    .or(row.row.getByRole('link', { name: 'Open folder' }))
    .first()
    .focus();
  await page.keyboard.press('Escape');
  await expect(tray.toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(tray.toggle).toBeFocused();
  await expect(tray.toggle).toContainText(/1 recent|running/);
  // The row's own links work from the tray: its folder, with the file in it.
  await tray.toggle.click();
  await row.row.getByRole('link', { name: 'Open folder' }).click();
  await expect(filesPage(page).entry(name)).toBeVisible();
});

test('on a phone the tray fits the width, expanded too', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await logInByApi(page);
  await openNewFolder(page, 'Phone');
  const source = path.join(tempDir('courier-phone-'), 'phone.txt');
  writeText(source, 'small\n');
  await filesPage(page).filesInput.setInputFiles(source);
  const tray = transferTray(page);
  await tray.toggle.click();
  await expect(tray.row(/^phone\.txt to /).status).toHaveText('Completed', { timeout: 20_000 });
  const fits = () => document.documentElement.scrollWidth <= window.innerWidth;
  expect(await page.evaluate(fits)).toBe(true);
  const box = await tray.tray.boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(375);
});

test('a gateway upload of a folder: its row expands to each file, and says when and how fast', async ({ page }) => {
  await logInByApi(page);
  const folder = await openNewFolder(page, 'Per file');
  const root = path.join(tempDir('courier-perfile-'), 'Tree');
  writeText(path.join(root, 'a.txt'), 'alpha\n');
  writeText(path.join(root, 'sub', 'b.txt'), 'bravo bravo\n');
  writeRandomFile(path.join(root, 'c.bin'), 300_000);
  await filesPage(page).folderInput.setInputFiles(root);

  await mainNav(page).getByRole('link', { name: 'Transfers' }).click();
  const row = transferRow(page, `Tree to ${folder}`);
  await expect(row.status).toHaveText('Completed', { timeout: 20_000 });
  await expect(row.row).toContainText(`To My files, /${folder}`);
  await expect(row.row).toContainText(/Started .* · Ended .* · Took \d+ s/);
  await row.row.getByRole('button', { name: 'Show files (3)' }).click();
  const files = row.files.getByRole('row');
  await expect(files).toHaveCount(4); // the header and three files
  await expect(row.files.getByRole('row', { name: /Tree\/a\.txt Done 6 B/ })).toBeVisible();
  await expect(row.files.getByRole('row', { name: /Tree\/sub\/b\.txt Done 12 B/ })).toBeVisible();
  await expect(row.files.getByRole('row', { name: /Tree\/c\.bin Done 300 KB/ })).toBeVisible();
  await expect(row.row.getByRole('button', { name: 'Hide files' })).toHaveAttribute('aria-expanded', 'true');
});

test('a download row says what it was: the space and the paths', async ({ page }) => {
  await logInByApi(page);
  const folder = await openNewFolder(page, 'Download what');
  const dir = tempDir('courier-what-');
  for (const n of ['one.txt', 'two.txt']) writeText(path.join(dir, n), `${n}\n`);
  await filesPage(page).filesInput.setInputFiles([path.join(dir, 'one.txt'), path.join(dir, 'two.txt')]);
  await expect(filesPage(page).entry('two.txt')).toBeVisible({ timeout: 15_000 });
  await filesPage(page).select('one.txt');
  await filesPage(page).select('two.txt');
  const saved = page.waitForEvent('download');
  await filesPage(page).download.click();
  await saved;
  await mainNav(page).getByRole('link', { name: 'Transfers' }).click();
  // "2 items" is every two-item download's title (other tests make them too): the row is the one from this folder.
  const what = `From My files: /${folder}/one.txt, /${folder}/two.txt`;
  const row = transferRow(page, what);
  await expect(row.row.getByText('2 items', { exact: true })).toBeVisible();
  await expect(row.status).toHaveText('Completed');
});

test('a reload mid-upload leaves a row that says so in words, and Retry asks for the files and sends them', async ({ page }) => {
  test.setTimeout(120_000);
  await logInByApi(page);
  const folder = await openNewFolder(page, 'Reload');
  const name = 'reloaded.bin';
  const source = path.join(tempDir('courier-reload-'), name);
  writeRandomFile(source, 8 * MB);
  await throttleUploads(page, 512 * 1024);
  await filesPage(page).filesInput.setInputFiles(source);
  await mainNav(page).getByRole('link', { name: 'Transfers' }).click();
  const title = `${name} to ${folder}`;
  const row = transferRow(page, title);
  await expect(async () => {
    expect(Number(await row.progress.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  }).toPass({ timeout: 20_000 });

  // The page asks before it lets the upload go; the person says yes.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.reload();
  await throttleUploads(page, -1);
  await expect(row.status).toHaveText('Failed', { timeout: 20_000 });
  await expect(row.row).toContainText('The upload was interrupted when the page was closed or reloaded.');
  await expect(row.row).not.toContainText('closed the connection');
  await expect(row.row).toContainText('Retry asks you to choose them again');
  // The tray keeps it among the recent ones after the reload.
  const tray = transferTray(page);
  await tray.toggle.click();
  await expect(tray.row(title).status).toHaveText('Failed');
  await tray.toggle.click();

  const chooser = page.waitForEvent('filechooser');
  await row.row.getByRole('button', { name: `Retry ${title}` }).click();
  await (await chooser).setFiles(source);
  await expect(row.row).toHaveCount(1);
  await expect(row.status).toHaveText('Completed', { timeout: 30_000 });
  await row.row.getByRole('link', { name: 'Open folder' }).click();
  await expect(filesPage(page).entry(name)).toBeVisible();
});
