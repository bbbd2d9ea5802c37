import { expect, test } from '@playwright/test';
import { loginPage } from './support/pages';

test('a failing server shows an error with a retry that recovers', async ({ page }) => {
  // The portal is fine; this browser sees it fail until the test lets requests through.
  let failing = true;
  await page.route('**/api/session', async (route) => {
    if (failing && route.request().method() === 'GET') {
      await route.fulfill({
        status: 500,
        json: { code: 'INTERNAL', message: 'The database is not answering.' },
      });
    } else {
      await route.fallback();
    }
  });

  await page.goto('/files');
  const heading = page.getByRole('heading', { name: 'Something went wrong' });
  // Server errors are retried twice with back-off before the page gives up.
  await expect(heading).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('The database is not answering.')).toBeVisible();

  failing = false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(loginPage(page).heading).toBeVisible();
  await expect(page).toHaveURL('/login?next=%2Ffiles');
});
