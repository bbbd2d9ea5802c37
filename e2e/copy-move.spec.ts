import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { docroot } from './support/docroot';
import { createFolder, filesPage, openFolder, transferTray } from './support/files-page';
import { sha256File, tempDir, writeRandomFile, writeText } from './support/local-files';
import { logInByApi, type PortalApi } from './support/portal-api';

interface Prepared {
  api: PortalApi;
  folder: string;
  archive: { id: string; name: string; root: string };
  report: string;
  photo: string;
}

/** My files / Copy <id> / report.txt and album/photo.bin uploaded through the page, and an Archive space with an inbox folder. */
async function prepare(page: Page): Promise<Prepared> {
  const api = await logInByApi(page);
  const id = randomUUID().slice(0, 8);
  const root = `e2e-archive-${id}`;
  const { id: archiveId } = await api.post<{ id: string }>('/api/spaces', { name: `Archive ${id}`, rootPath: `/${root}` });
  await api.post(`/api/spaces/${archiveId}/folders`, { path: '/inbox' });
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  const files = filesPage(page);
  const folder = `Copy ${id}`;
  await createFolder(page, folder);
  await openFolder(page, folder);
  await createFolder(page, 'album');
  await openFolder(page, 'album');
  const dir = tempDir('courier-copy-');
  const photo = path.join(dir, 'photo.bin');
  writeRandomFile(photo, 700 * 1024);
  await files.filesInput.setInputFiles(photo);
  await expect(files.entry('photo.bin')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: folder }).click();
  const report = path.join(dir, 'report.txt');
  writeText(report, `minutes ${id}\n`.repeat(500));
  await files.filesInput.setInputFiles(report);
  await expect(files.entry('report.txt')).toBeVisible({ timeout: 20_000 });
  return { api, folder, archive: { id: archiveId, name: `Archive ${id}`, root }, report, photo };
}

async function expectCompletedInTray(page: Page, title: string): Promise<void> {
  const tray = transferTray(page);
  await tray.toggle.click();
  const row = tray.row(title);
  await expect(row.row).toBeVisible();
  await expect(row.status).toHaveText('Completed', { timeout: 30_000 });
  await tray.toggle.click();
}

test('Copy to… carries a file and a folder to another space, chosen with the keyboard, byte for byte, and shows it in the tray', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const prepared = await prepare(page);
  const files = filesPage(page);
  await files.select('report.txt');
  await files.select('album');
  await page.getByRole('button', { name: 'Copy to…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Copy 2 items to…' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Space').selectOption({ label: prepared.archive.name });
  await expect(dialog.getByText(`Into ${prepared.archive.name}, its top folder`)).toBeVisible();
  await expectNoViolations(page, 'copy dialog');
  // Keyboard only: to the inbox folder's button, open it, then to "Copy here".
  const inbox = dialog.getByRole('button', { name: 'Open folder inbox' });
  await inbox.focus();
  await page.keyboard.press('Enter');
  await expect(dialog.getByText(`Into ${prepared.archive.name}, /inbox`)).toBeFocused();
  await expect(dialog.getByText('No folders here.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Copy here' }).focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();

  await expectCompletedInTray(page, 'Copy 2 items to inbox');
  const there = (...parts: string[]) => docroot(prepared.archive.root, 'inbox', ...parts);
  expect(await sha256File(there('report.txt'))).toBe(await sha256File(prepared.report));
  expect(await sha256File(there('album', 'photo.bin'))).toBe(await sha256File(prepared.photo));
  // The originals stay.
  await expect(files.entry('report.txt')).toBeVisible();
  await expect(files.entry('album')).toBeVisible();
});

test('Move to… deletes the original once the copy completed, and a name taken at the destination is refused with the reason', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const prepared = await prepare(page);
  const files = filesPage(page);
  await files.select('report.txt');
  await page.getByRole('button', { name: 'Move to…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Move report.txt to…' });
  await dialog.getByLabel('Space').selectOption({ label: prepared.archive.name });
  await dialog.getByRole('button', { name: 'Move here' }).click();
  await expect(dialog).toBeHidden();
  await expectCompletedInTray(page, `Move report.txt to ${prepared.archive.name}`);
  expect(await sha256File(docroot(prepared.archive.root, 'report.txt'))).toBe(await sha256File(prepared.report));
  await page.reload();
  await expect(files.entry('album')).toBeVisible();
  await expect(files.entry('report.txt')).toBeHidden();

  // A folder copied once, then again to the same place: refused with the reason, the dialog stays.
  await files.select('album');
  await page.getByRole('button', { name: 'Copy to…' }).click();
  const again = page.getByRole('dialog', { name: 'Copy album to…' });
  await again.getByLabel('Space').selectOption({ label: prepared.archive.name });
  await again.getByRole('button', { name: 'Open folder inbox' }).click();
  await again.getByRole('button', { name: 'Copy here' }).click();
  await expect(again).toBeHidden();
  await expectCompletedInTray(page, 'Copy album to inbox');
  await files.select('album');
  await page.getByRole('button', { name: 'Copy to…' }).click();
  const taken = page.getByRole('dialog', { name: 'Copy album to…' });
  await taken.getByLabel('Space').selectOption({ label: prepared.archive.name });
  await taken.getByRole('button', { name: 'Open folder inbox' }).click();
  await taken.getByRole('button', { name: 'Copy here' }).click();
  await expect(taken.getByRole('alert')).toContainText('/inbox/album already exists.');
  await expect(taken).toBeVisible();
});
