import { expect, test } from '@playwright/test';
import { logInFromHome, loginPage, shell } from './support/pages';

test('logging out returns to the login page, and the back button does not show the app', async ({ page }) => {
  await logInFromHome(page);
  const app = shell(page);
  await app.nav.getByRole('link', { name: 'Transfers' }).click();
  await expect(app.heading).toHaveText('Transfers');

  await app.userMenu.click();
  await app.logOut.click();

  const login = loginPage(page);
  await expect(login.heading).toBeVisible();
  await expect(page).toHaveURL('/login');
  await expect(page.getByText('You have logged out.')).toBeVisible();

  await page.goBack();
  await expect(login.heading).toBeVisible();
  await expect(app.nav).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Files' })).toHaveCount(0);

  // The server agrees: a reload does not bring the session back.
  await page.goto('/transfers');
  await expect(login.heading).toBeVisible();
  await expect(app.nav).toHaveCount(0);
});

test('the user menu opens and closes with the keyboard', async ({ page }) => {
  await logInFromHome(page);
  const app = shell(page);
  await app.userMenu.focus();
  await page.keyboard.press('Enter');
  await expect(app.logOut).toBeFocused();
  await expect(app.userMenu).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Escape');
  await expect(app.logOut).toBeHidden();
  await expect(app.userMenu).toBeFocused();
});
