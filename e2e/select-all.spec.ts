import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { docroot } from './support/docroot';
import { filesPage, openFolder } from './support/files-page';
import { logInByApi } from './support/portal-api';

const ENTRIES = 2000;
const name = (i: number) => `e-${String(i).padStart(4, '0')}.txt`;

test('select all in a 2,000-entry folder selects the folder, not the rows loaded, and deletes all 2,000 but the one unticked', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // Written straight into the admin's personal space on the node: 2,000 uploads would test the uploader.
  const folder = `All ${randomUUID().slice(0, 8)}`;
  const dir = docroot('home', 'admin', folder);
  mkdirSync(dir, { recursive: true });
  for (let i = 1; i <= ENTRIES; i += 1) writeFileSync(path.join(dir, name(i)), 'x');

  await logInByApi(page);
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  await openFolder(page, folder);
  const files = filesPage(page);
  await expect(page.getByText('2,000 items', { exact: true })).toBeVisible();
  await expect(files.entry(name(1))).toBeVisible();

  // The header checkbox: all of the folder, then none.
  const header = files.grid.getByRole('checkbox', { name: /^Select all [\d,]+ items?$/ });
  await header.check();
  await expect(page.getByText('2,000 of 2,000 selected')).toBeVisible();
  await header.uncheck();
  await expect(page.getByText(/of 2,000 selected/)).toHaveCount(0);

  // Ctrl+A: the same, although only the first page (500 rows) has been loaded.
  await files.grid.focus();
  await page.keyboard.press('Control+a');
  await expect(page.getByText('2,000 of 2,000 selected')).toBeVisible();
  await expect(header).toBeChecked();
  await expect(files.row(name(1))).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(files.entry(name(ENTRIES))).toBeVisible({ timeout: 15_000 });
  await page.keyboard.press('Control+a');
  await expect(files.row(name(ENTRIES))).toHaveAttribute('aria-selected', 'true');
  // One unticked: the other 1,999 stay selected, the header says "some".
  await files.grid.getByRole('checkbox', { name: `Select ${name(ENTRIES)}`, exact: true }).uncheck();
  await expect(page.getByText('1,999 of 2,000 selected')).toBeVisible();
  await expect(header).not.toBeChecked();
  await expect(header).toHaveJSProperty('indeterminate', true);

  await files.delete.click();
  const dialog = page.getByRole('dialog', { name: `Delete 1,999 items in ${folder}?` });
  await expect(dialog).toContainText('except the 1 item you unticked');
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  await expect(page.getByText('1,999 items deleted.')).toBeVisible();
  expect(readdirSync(dir)).toEqual([name(ENTRIES)]);
  await expect(page.getByText('1 item', { exact: true })).toBeVisible();
  await expect(files.entry(name(ENTRIES))).toBeVisible();

  // The last one, by select all: the folder is empty on disk and on screen.
  await header.check();
  await files.delete.click();
  await page
    .getByRole('dialog', { name: `Delete all 1 item in ${folder}?` })
    .getByRole('button', { name: 'Delete', exact: true })
    .click();
  await expect(page.getByText('This folder is empty')).toBeVisible();
  expect(readdirSync(dir)).toEqual([]);
});
