import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import { createFolder, expectInTray, filesPage, openFolder, transferRow } from './support/files-page';
import { logInByApi } from './support/portal-api';
import { tempDir, writeText } from './support/local-files';

async function freshFolder(page: Page): Promise<string> {
  await logInByApi(page);
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  const folder = `Checks ${randomUUID().slice(0, 8)}`;
  await createFolder(page, folder);
  await openFolder(page, folder);
  return folder;
}

async function drop(page: Page, names: string[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const name of list) dt.items.add(new File(['x'], name));
    return dt;
  }, names);
  const zone = page.locator('section.courier-files');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

test('a drop with a name the node refuses is refused before anything is sent, and says which', async ({ page }) => {
  await freshFolder(page);
  let transfersAsked = 0;
  page.on('request', (r) => {
    if (r.url().endsWith('/api/transfers') && r.method() === 'POST') transfersAsked += 1;
  });
  await drop(page, ['fine.txt', 'back\\slash.txt']);
  const alert = page.getByRole('alert').filter({ hasText: 'Some names cannot be stored' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('"back\\slash.txt"');
  await expect(page.getByText('This folder is empty')).toBeVisible();
  expect(transfersAsked).toBe(0);
});

test('a pick of more than 100 files is shown for review first, and cancelling sends nothing', async ({ page }) => {
  const folder = await freshFolder(page);
  let transfersAsked = 0;
  page.on('request', (r) => {
    if (r.url().endsWith('/api/transfers') && r.method() === 'POST') transfersAsked += 1;
  });
  const dir = tempDir('courier-many-');
  const files = Array.from({ length: 101 }, (_, i) => path.join(dir, `n-${i}.txt`));
  for (const file of files) writeText(file, 'n');
  await filesPage(page).filesInput.setInputFiles(files);
  const review = page.getByRole('dialog', { name: 'Upload these files?' });
  await expect(review).toContainText('101 files, 101 B');
  await review.getByRole('button', { name: 'Cancel' }).click();
  await expect(review).toBeHidden();
  expect(transfersAsked).toBe(0);

  await filesPage(page).filesInput.setInputFiles(files);
  await review.getByRole('button', { name: 'Start upload' }).click();
  await expectInTray(page, `101 files to ${folder}`);
  await expect(filesPage(page).grid).toHaveAttribute('aria-rowcount', '102', { timeout: 20_000 });
});

test('a file removed after the pick fails the upload, naming the file, and nothing is stored', async ({ page }) => {
  const folder = await freshFolder(page);
  const dir = tempDir('courier-removed-');
  const files = Array.from({ length: 101 }, (_, i) => path.join(dir, `r-${i}.txt`));
  for (const file of files) writeText(file, 'r');
  await filesPage(page).filesInput.setInputFiles(files);
  const review = page.getByRole('dialog', { name: 'Upload these files?' });
  await expect(review).toContainText('101 files');
  // Gone while the person reads the review: Chromium's upload cannot open it, which on its own
  // looks like a lost connection.
  rmSync(files[50]!);
  await review.getByRole('button', { name: 'Start upload' }).click();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transfers' }).click();
  const transfer = transferRow(page, `101 files to ${folder}`);
  await expect(transfer.status).toHaveText('Failed', { timeout: 20_000 });
  await expect(transfer.row).toContainText('The browser could not read "r-50.txt"');
  await page.goBack();
  await expect(page.getByText('This folder is empty')).toBeVisible();
});
