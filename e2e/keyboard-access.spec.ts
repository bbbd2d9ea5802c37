import { randomUUID } from 'node:crypto';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createFolder, filesPage, openFolder } from './support/files-page';
import { shell } from './support/pages';
import { logInByApi } from './support/portal-api';

// Desktop width, where the side navigation is pinned open beside the page.
test.use({ viewport: { width: 1280, height: 800 } });

/** Presses Tab until `target` has focus; fails if it takes more than `most` presses. */
async function tabTo(page: Page, target: Locator, most: number): Promise<number> {
  for (let presses = 1; presses <= most; presses += 1) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((element) => element === document.activeElement)) return presses;
  }
  throw new Error(`${String(target)} not reached in ${most} Tab presses`);
}

test('every page in the navigation is reached with Tab and Enter alone', async ({ page }) => {
  await logInByApi(page);
  const app = shell(page);
  const destinations = [
    { link: 'Files', from: '/transfers', url: '/files', heading: 'Files' },
    { link: 'Transfers', from: '/files', url: '/transfers', heading: 'Transfers' },
    { link: 'Send', from: '/files', url: '/send', heading: 'Send a package' },
    { link: 'Inbox', from: '/files', url: '/inbox', heading: 'Inbox' },
    { link: 'Sent', from: '/files', url: '/sent', heading: 'Sent' },
    { link: 'My links', from: '/files', url: '/links', heading: 'My links' },
    { link: 'Requests', from: '/files', url: '/requests', heading: 'File requests' },
    // An admin's: /admin opens its first page.
    { link: 'Admin', from: '/files', url: '/admin/users', heading: 'Users' },
  ];
  // Every link the navigation holds is in the list above.
  await page.goto('/files');
  await expect(app.nav.getByRole('link')).toHaveText(destinations.map((d) => d.link));

  for (const { link, from, url, heading } of destinations) {
    await page.goto(from);
    await expect(app.heading).toBeVisible();
    // From the top of the page: past the skip link, the product name, the bell, the user menu and the links before it.
    await tabTo(page, app.nav.getByRole('link', { name: link }), 13);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(url);
    await expect(app.heading).toHaveText(heading);
  }
});

test('closing a dialog gives focus back to what opened it', async ({ page }) => {
  await logInByApi(page);
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  const files = filesPage(page);
  const parent = `Focus ${randomUUID().slice(0, 8)}`;
  await createFolder(page, parent);
  await openFolder(page, parent);
  await createFolder(page, 'kept');

  // New folder, opened from its button by keyboard and closed with Escape.
  await files.newFolder.focus();
  await page.keyboard.press('Enter');
  const newFolder = page.getByRole('dialog', { name: 'New folder' });
  await expect(newFolder).toBeVisible();
  await expect(newFolder.getByLabel('Name')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(newFolder).toBeHidden();
  await expect(files.newFolder).toBeFocused();

  // Rename, opened with F2 in the grid and closed with its Cancel button.
  await expect(files.row('kept')).toHaveAttribute('aria-selected', 'true');
  await files.grid.focus();
  const gridHadFocus = await files.grid.evaluate((grid) => grid.contains(document.activeElement));
  expect(gridHadFocus).toBe(true);
  const opener = await page.evaluate(() => document.activeElement?.outerHTML);
  await page.keyboard.press('F2');
  const rename = page.getByRole('dialog', { name: 'Rename kept' });
  await expect(rename).toBeVisible();
  await rename.getByRole('button', { name: 'Cancel' }).click();
  await expect(rename).toBeHidden();
  expect(await page.evaluate(() => document.activeElement?.outerHTML)).toBe(opener);

  // Delete, opened from its button and cancelled (the dialog has a Delete button too).
  const deleteButton = page.getByRole('toolbar', { name: 'Folder actions' }).getByRole('button', { name: 'Delete' });
  await deleteButton.focus();
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('dialog', { name: 'Delete 1 item?' });
  await expect(confirm).toBeVisible();
  await expect(deleteButton).not.toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(deleteButton).toBeFocused();
});
