import { expect, test } from '@playwright/test';
import { logIn, shell } from './support/pages';

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
