import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { createFolder, filesPage, openFolder } from './support/files-page';
import { logInByApi, personalSpaceId } from './support/portal-api';

test('a folder is created, renamed with the keyboard, refused a taken name, and deleted after confirmation', async ({ page }) => {
  await logInByApi(page);
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  const files = filesPage(page);
  const id = randomUUID().slice(0, 8);
  // In a folder of its own: My files changes under the tests running alongside.
  await createFolder(page, `Folder ops ${id}`);
  await openFolder(page, `Folder ops ${id}`);
  await createFolder(page, `Taken ${id}`);
  await createFolder(page, `Ops ${id}`);

  // A new folder comes selected, as in a file manager: F2 renames it.
  await expect(files.row(`Ops ${id}`)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText(/^1 of [\d,]+ selected$/)).toBeVisible();
  await files.grid.focus();
  await page.keyboard.press('F2');
  const rename = page.getByRole('dialog', { name: `Rename Ops ${id}` });
  await rename.getByLabel('Name').fill(`Taken ${id}`);
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(rename).toContainText('Something with this name is already there');
  await rename.getByLabel('Name').fill(`Renamed ${id}`);
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(rename).toBeHidden();
  await expect(files.entry(`Renamed ${id}`)).toBeVisible();
  await expect(files.entry(`Ops ${id}`)).toHaveCount(0);

  await files.select(`Renamed ${id}`);
  await files.select(`Taken ${id}`);
  await files.delete.click();
  const confirm = page.getByRole('dialog', { name: 'Delete 2 items?' });
  await expect(confirm).toContainText(`Renamed ${id}`);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(files.entry(`Renamed ${id}`)).toBeVisible();
  await files.delete.click();
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('2 items deleted.')).toBeVisible();
  await expect(files.entry(`Renamed ${id}`)).toHaveCount(0);
  await expect(files.entry(`Taken ${id}`)).toHaveCount(0);
});

test('a row keeps its own checkbox when a new entry lands above it', async ({ page }) => {
  await logInByApi(page);
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  const files = filesPage(page);
  const parent = `Rows ${randomUUID().slice(0, 8)}`;
  await createFolder(page, parent);
  await openFolder(page, parent);
  await createFolder(page, 'a');
  await createFolder(page, 'c');

  // The element a click is about to land on: the listing refreshes under it (another tab, a
  // finished upload), and "b" is drawn above "c".
  const checkboxOfC = await files.grid.getByRole('checkbox', { name: 'Select c', exact: true }).elementHandle();
  await createFolder(page, 'b');
  await checkboxOfC!.click();

  // "b" came selected when it was created; the click added "c" to it.
  await expect(page.getByText(/^2 of [\d,]+ selected$/)).toBeVisible();
  await expect(files.grid.getByRole('checkbox', { name: 'Select c', exact: true })).toBeChecked();
  await expect(files.grid.getByRole('checkbox', { name: 'Select a', exact: true })).not.toBeChecked();
});

test('a new folder is brought into view and selected, even below the rows on screen', async ({ page }) => {
  const api = await logInByApi(page);
  const spaceId = await personalSpaceId(api);
  const parent = `Long ${randomUUID().slice(0, 8)}`;
  // More folders than the table draws at once (the rows on screen and a dozen around them).
  for (let i = 0; i < 40; i += 1) await api.post(`/api/spaces/${spaceId}/folders`, { path: `/${parent}/f-${String(i).padStart(2, '0')}` });
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  await openFolder(page, parent);
  const files = filesPage(page);
  await expect(files.grid).toHaveAttribute('aria-rowcount', '41');

  await createFolder(page, 'zz last');
  await expect(files.row('zz last')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText(/^1 of [\d,]+ selected$/)).toBeVisible();
});
