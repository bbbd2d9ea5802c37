import { expect, test } from '@playwright/test';
import { logIn, loginPage, shell } from './support/pages';

test.use({ viewport: { width: 375, height: 740 } });

const fitsWidth = () => document.documentElement.scrollWidth <= window.innerWidth;

test('on a phone the login page and the shell fit the width, and the menu button opens the navigation', async ({ page }) => {
  await page.goto('/login');
  await expect(loginPage(page).heading).toBeVisible();
  expect(await page.evaluate(fitsWidth)).toBe(true);

  await logIn(page);
  const app = shell(page);
  await expect(app.heading).toHaveText('Files');
  expect(await page.evaluate(fitsWidth)).toBe(true);

  // The side navigation is folded away (inert: not even screen readers browse it) until asked for.
  await expect(app.nav).toHaveJSProperty('inert', true);
  await page.getByRole('button', { name: 'Open navigation' }).click();
  await expect(app.nav).toHaveJSProperty('inert', false);
  await app.nav.getByRole('link', { name: 'Transfers' }).click();
  await expect(app.heading).toHaveText('Transfers');
  await expect(app.nav).toHaveJSProperty('inert', true);
});
