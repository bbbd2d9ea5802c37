import { expect, test, type Page } from '@playwright/test';
import { shell } from './support/pages';
import { logInByApi } from './support/portal-api';

// Carbon's page backgrounds: white, and g100 for dark.
const LIGHT = 'rgb(255, 255, 255)';
const DARK = 'rgb(22, 22, 22)';

const pageBackground = (page: Page) => page.locator('body');

/**
 * Loads `path` with the app's scripts refused: what is drawn then is what the first paint shows
 * before the app runs, so a wrong theme here would flash on every load.
 */
async function loadWithoutTheApp(page: Page, path: string): Promise<void> {
  await page.route('**/assets/*.js', (route) => route.abort());
  await page.goto(path);
  await expect(page.locator('#root')).toBeEmpty();
  await page.unroute('**/assets/*.js');
}

async function chooseTheme(page: Page, label: 'System' | 'Light' | 'Dark'): Promise<void> {
  const app = shell(page);
  await app.userMenu.click();
  const themes = page.getByRole('group', { name: 'Theme' });
  // Carbon draws its own circle over the native radio input, which is what takes the click.
  await themes.getByText(label, { exact: true }).click();
  await expect(themes.getByRole('radio', { name: label })).toBeChecked();
  await page.keyboard.press('Escape');
}

test.describe('with the system set to dark', () => {
  test.use({ colorScheme: 'dark' });

  test('the app is dark, and a choice of light in the user menu is kept from the first paint on', async ({ page }) => {
    await logInByApi(page);
    await page.goto('/files');
    await expect(shell(page).heading).toHaveText('Files');
    await expect(pageBackground(page)).toHaveCSS('background-color', DARK);

    await chooseTheme(page, 'Light');
    await expect(pageBackground(page)).toHaveCSS('background-color', LIGHT);

    await loadWithoutTheApp(page, '/files');
    await expect(pageBackground(page)).toHaveCSS('background-color', LIGHT);
    await page.reload();
    await expect(shell(page).heading).toHaveText('Files');
    await expect(pageBackground(page)).toHaveCSS('background-color', LIGHT);

    await chooseTheme(page, 'System');
    await expect(pageBackground(page)).toHaveCSS('background-color', DARK);
    await loadWithoutTheApp(page, '/files');
    await expect(pageBackground(page)).toHaveCSS('background-color', DARK);
  });

  test('the login page is dark too', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { name: 'Log in to Courier' })).toBeVisible();
    await expect(pageBackground(page)).toHaveCSS('background-color', DARK);
  });
});

test.describe('with the system set to light', () => {
  test.use({ colorScheme: 'light' });

  test('the app is light, and a choice of dark follows the user to the next load', async ({ page }) => {
    await logInByApi(page);
    await page.goto('/transfers');
    await expect(shell(page).heading).toHaveText('Transfers');
    await expect(pageBackground(page)).toHaveCSS('background-color', LIGHT);

    await chooseTheme(page, 'Dark');
    await expect(pageBackground(page)).toHaveCSS('background-color', DARK);

    await loadWithoutTheApp(page, '/transfers');
    await expect(pageBackground(page)).toHaveCSS('background-color', DARK);
    await page.reload();
    await chooseTheme(page, 'Light');
    await expect(pageBackground(page)).toHaveCSS('background-color', LIGHT);
  });
});
