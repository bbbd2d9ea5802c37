import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { docroot } from './support/docroot';
import { filesPage, openFolder } from './support/files-page';
import { logInByApi } from './support/portal-api';

/** A folder of the admin's personal space, filled on disk, opened in the page. */
async function folderWith(page: Page, names: string[]): Promise<{ folder: string; dir: string }> {
  const folder = `Details ${randomUUID().slice(0, 8)}`;
  const dir = docroot('home', 'admin', folder);
  mkdirSync(dir, { recursive: true });
  names.forEach((name, i) => writeFileSync(path.join(dir, name), 'x'.repeat(i + 1)));
  await logInByApi(page);
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  await openFolder(page, folder);
  return { folder, dir };
}

test('a new folder named "a/b" or with a 300-character name is refused with its reason, and nothing is made', async ({ page }) => {
  const { dir } = await folderWith(page, []);
  await filesPage(page).newFolder.click();
  const dialog = page.getByRole('dialog', { name: 'New folder' });
  await dialog.getByLabel('Name').fill('a/b');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toContainText('A name cannot contain "/": it separates folders.');
  await dialog.getByLabel('Name').fill('n'.repeat(300));
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toContainText('This name is too long: 300 bytes, and a name may have at most 255');
  await expect(dialog).not.toContainText('"/"');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect(existsSync(path.join(dir, 'a'))).toBe(false);
});

test('sorting while scrolled down returns the view to the top of the new order', async ({ page }) => {
  const names = Array.from({ length: 150 }, (_, i) => `s-${String(i).padStart(3, '0')}.txt`);
  await folderWith(page, names);
  const files = filesPage(page);
  await expect(files.entry('s-000.txt')).toBeVisible();
  await files.grid.evaluate((grid) => grid.scrollTo({ top: grid.scrollHeight }));
  await expect(files.entry('s-149.txt')).toBeVisible();
  // Sizes grow with the index, so "largest first" starts with the last name.
  await page.getByRole('button', { name: 'Size', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: 'Size' })).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => files.grid.evaluate((grid) => grid.scrollTop)).toBe(0);
  await expect(files.entry('s-149.txt')).toBeVisible();
  await expect(files.entry('s-000.txt')).toBeHidden();
});

test('double-clicking a file downloads it, and so does Enter on its row', async ({ page }) => {
  const { dir } = await folderWith(page, ['first.txt', 'second.txt']);
  const files = filesPage(page);
  // Brought to the middle, as a person scrolls to it: at the window's foot the transfer tray covers it.
  await files.entry('first.txt').evaluate((cell) => cell.scrollIntoView({ block: 'center' }));
  const [byClick] = await Promise.all([page.waitForEvent('download'), files.entry('first.txt').dblclick()]);
  const saved = test.info().outputPath('first.txt');
  await byClick.saveAs(saved);
  expect(readFileSync(saved, 'utf8')).toBe(readFileSync(path.join(dir, 'first.txt'), 'utf8'));

  await files.grid.focus();
  await page.keyboard.press('ArrowDown');
  await expect(files.row('second.txt')).toHaveAttribute('aria-selected', 'true');
  const [byEnter] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  const second = test.info().outputPath('second.txt');
  await byEnter.saveAs(second);
  expect(readFileSync(second, 'utf8')).toBe('xx');
});

test('the filter shows the entries of the whole folder whose names match, whatever was loaded', async ({ page }) => {
  // 600 entries: more than the first page (500), with matches on both sides of it.
  const names = Array.from({ length: 600 }, (_, i) => (i % 200 === 7 ? `Budget ${i}.xlsx` : `other ${String(i).padStart(3, '0')}.txt`));
  await folderWith(page, names);
  const files = filesPage(page);
  await expect(page.getByText('600 items', { exact: true })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Filter by name' }).fill('budget');
  await expect(page.getByText('600 items · 3 matching “budget”')).toBeVisible();
  await expect(files.grid).toHaveAttribute('aria-rowcount', '4');
  for (const n of [7, 207, 407]) await expect(files.entry(`Budget ${n}.xlsx`)).toBeVisible();
  await expect(files.entry('other 000.txt')).toBeHidden();
});

test('a viewer dropping files is told they may not upload here, and nothing is sent', async ({ browser, page }) => {
  const admin = await logInByApi(page);
  const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
  const username = `dropper${suffix}`;
  const password = 'dropper-Passw0rd!';
  const user = await admin.post<{ id: string }>('/api/users', { username, displayName: 'Dora Viewer', password });
  const space = await admin.post<{ id: string; name: string }>('/api/spaces', { name: `Look ${suffix}` });
  await admin.put(`/api/spaces/${space.id}/members`, { principalType: 'user', principalId: user.id, role: 'viewer' });

  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const viewerPage = await context.newPage();
  await logInByApi(viewerPage, { username, password });
  await viewerPage.goto('/files');
  await viewerPage.getByRole('link', { name: space.name }).click();
  await expect(filesPage(viewerPage).heading).toHaveText(space.name);
  let asked = 0;
  viewerPage.on('request', (r) => {
    if (r.url().includes('/api/transfers') || r.url().includes('/name-conflicts')) asked += 1;
  });
  const dataTransfer = await viewerPage.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['x'], 'mine.txt'));
    return dt;
  });
  const zone = viewerPage.locator('section.courier-files');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await expect(viewerPage.getByText(`You cannot upload to ${space.name}`)).toBeVisible();
  await zone.dispatchEvent('drop', { dataTransfer });
  const alert = viewerPage.getByRole('alert').filter({ hasText: 'You cannot upload to this folder' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('Your role in this space is viewer');
  expect(asked).toBe(0);
  await context.close();
});
