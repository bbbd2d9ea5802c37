import { expect, test, type Page } from '@playwright/test';
import { logIn, logInFromHome, loginPage, shell } from './support/pages';
import { EXPIRY_SERVER } from './support/servers';

// These run against the second portal, whose sessions go idle after a few seconds.
const idle = (page: Page) => page.waitForTimeout((EXPIRY_SERVER.idleTimeoutSeconds + 1.5) * 1000);

const EXPIRED = 'Your session expired, please log in again.';

test('a session that expires while the user is away sends them to log in, then back', async ({ page }) => {
  await logInFromHome(page);
  const app = shell(page);
  await app.nav.getByRole('link', { name: 'Transfers' }).click();
  await expect(app.heading).toHaveText('Transfers');

  await idle(page);
  // The user comes back to the tab: the event a real tab switch fires (it bubbles to window).
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange', { bubbles: true })));

  await expect(page.getByText(EXPIRED)).toBeVisible();
  await expect(page).toHaveURL('/login?next=%2Ftransfers');
  await expect(app.nav).toHaveCount(0);

  await logIn(page);
  await expect(page).toHaveURL('/transfers');
  await expect(app.heading).toHaveText('Transfers');
});

test('opening the app with an expired session says so on the login page', async ({ page }) => {
  await logInFromHome(page);
  await idle(page);
  await page.reload();

  await expect(loginPage(page).heading).toBeVisible();
  await expect(page.getByText(EXPIRED)).toBeVisible();
  await expect(page).toHaveURL('/login?next=%2Ffiles');
});
