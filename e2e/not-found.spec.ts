import { expect, test } from '@playwright/test';
import { logInFromHome, shell } from './support/pages';

test('an unknown address shows the not-found page inside the shell', async ({ page }) => {
  await logInFromHome(page);
  await page.goto('/no/such/page');

  const app = shell(page);
  await expect(app.heading).toHaveText('Page not found');
  await expect(page.getByText('/no/such/page')).toBeVisible();
  await expect(app.nav).toBeVisible();

  await page.getByRole('link', { name: 'Go to Files' }).click();
  await expect(app.heading).toHaveText('Files');
});
