import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { filesPage, openFolder } from './support/files-page';
import { logIn, shell } from './support/pages';
import { logInByApi, personalSpaceId } from './support/portal-api';

test('a deep link opened while logged out comes back after logging in', async ({ page }) => {
  await page.goto('/transfers?view=history#latest');
  await expect(page).toHaveURL(/\/login\?next=/);

  await logIn(page);

  await expect(page).toHaveURL('/transfers?view=history#latest');
  await expect(shell(page).heading).toHaveText('Transfers');
});

test('a next parameter pointing off-site is not followed', async ({ page }) => {
  await page.goto('/login?next=//example.com/phish');
  await logIn(page);
  await expect(page).toHaveURL('/files');
});

test('reloading a folder whose name looks like a file name opens the folder again', async ({ page }) => {
  const api = await logInByApi(page);
  const spaceId = await personalSpaceId(api);
  const parent = `Dotted ${randomUUID().slice(0, 8)}`;
  await api.post(`/api/spaces/${spaceId}/folders`, { path: `/${parent}` });
  await api.post(`/api/spaces/${spaceId}/folders`, { path: `/${parent}/release.v2` });
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  await openFolder(page, parent);
  await openFolder(page, 'release.v2');
  const url = page.url();
  expect(new URL(url).pathname).toMatch(/\/release\.v2$/);

  await page.reload();

  await expect(page).toHaveURL(url);
  await expect(filesPage(page).heading).toHaveText('release.v2');
});
