import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { filesPage, openFolder } from './support/files-page';
import { logInByApi } from './support/portal-api';

const ENTRIES = 100_000;
const name = (i: number) => `f-${String(i).padStart(6, '0')}.txt`;

test('a 100,000-entry folder opens, jumps to its end and re-sorts with only the visible rows drawn', async ({ page }) => {
  test.setTimeout(180_000);
  // Written straight into the embedded node's docroot (the admin's personal space is /home/admin):
  // 100,000 uploads would test the uploader, not the listing.
  const dataDir = process.env.COURIER_E2E_DATA_DIR;
  if (!dataDir) throw new Error('playwright.config.ts sets COURIER_E2E_DATA_DIR');
  const folder = `Big ${randomUUID().slice(0, 8)}`;
  const dir = path.join(dataDir, 'node', 'docroot', 'home', 'admin', folder);
  mkdirSync(dir, { recursive: true });
  for (let i = 1; i <= ENTRIES; i += 1) writeFileSync(path.join(dir, name(i)), '');

  await logInByApi(page);
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  await openFolder(page, folder);
  const files = filesPage(page);
  await expect(files.grid).toHaveAttribute('aria-rowcount', String(ENTRIES + 1), { timeout: 30_000 });
  await expect(files.entry(name(1))).toBeVisible();
  // Virtualized: the rows on screen plus a few, never the folder.
  expect(await files.grid.getByRole('row').count()).toBeLessThan(80);

  await files.grid.focus();
  await page.keyboard.press('End');
  await expect(files.entry(name(ENTRIES))).toBeVisible({ timeout: 15_000 });
  await expect(files.row(name(ENTRIES))).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Shift+ArrowUp');
  await expect(page.getByText('2 of 100,000 selected')).toBeVisible();

  await page.keyboard.press('Home');
  await expect(files.entry(name(1))).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Name', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'descending');
  await expect(files.entry(name(ENTRIES))).toBeVisible({ timeout: 15_000 });
  expect(await files.grid.getByRole('row').count()).toBeLessThan(80);
});
