import { expect, test } from '@playwright/test';
import { logIn, loginPage, shell, waitForLoginOutcome } from './support/pages';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from './support/servers';

test('a visitor is sent to the login page, and logging in as admin shows the app shell', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await expect(page).toHaveTitle('Log in · Courier');

  await logIn(page);

  const app = shell(page);
  await expect(page).toHaveURL('/files');
  await expect(app.heading).toHaveText('Files');
  await expect(page).toHaveTitle('Files · Courier');
  // Courier is not an IBM product: named alone, with what it works with after it.
  await expect(app.banner.getByRole('link', { name: 'Courier for IBM Aspera' })).toBeVisible();
  await expect(app.nav.getByRole('link', { name: 'Files' })).toHaveAttribute('aria-current', 'page');
  await expect(app.userMenu).toBeVisible();

  await app.nav.getByRole('link', { name: 'Transfers' }).click();
  await expect(page).toHaveURL('/transfers');
  await expect(app.heading).toHaveText('Transfers');
  // Focus follows the navigation to the new page's heading.
  await expect(app.heading).toBeFocused();
});

test('a wrong password shows an error and stays on the login page', async ({ page }) => {
  await page.goto('/login');
  await logIn(page, { username: ADMIN_USERNAME, password: `${ADMIN_PASSWORD}-wrong` });

  const login = loginPage(page);
  await expect(login.alert).toContainText('Wrong username or password.');
  await expect(page).toHaveURL('/login');
  // Ready for another try: password cleared and focused.
  await expect(login.password).toHaveValue('');
  await expect(login.password).toBeFocused();
});

test('an unknown user gets the same message as a wrong password', async ({ page }) => {
  await page.goto('/login');
  await logIn(page, { username: 'nobody-here', password: 'whatever-it-is' });
  await expect(loginPage(page).alert).toContainText('Wrong username or password.');
  await expect(page).toHaveURL('/login');
});

test('empty fields are caught before anything is sent', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST') requests.push(request.url());
  });
  await page.goto('/login');
  const login = loginPage(page);
  await login.submit.click();
  await expect(page.getByText('Enter your username')).toBeVisible();
  await expect(login.username).toBeFocused();
  await login.username.fill(ADMIN_USERNAME);
  await login.submit.click();
  await expect(page.getByText('Enter your password')).toBeVisible();
  await expect(login.password).toBeFocused();
  expect(requests).toEqual([]);
});

test('logging in works with the keyboard alone', async ({ page }) => {
  await page.goto('/login');
  const login = loginPage(page);
  await expect(login.username).toBeFocused();
  await page.keyboard.type(ADMIN_USERNAME);
  await page.keyboard.press('Tab');
  await expect(login.password).toBeFocused();
  await page.keyboard.type(ADMIN_PASSWORD);
  await page.keyboard.press('Enter');
  await waitForLoginOutcome(page);
  await expect(shell(page).heading).toHaveText('Files');
});

test('a rate-limited login says when to try again', async ({ page }) => {
  // Tripping the real limiter would lock admin out for the tests running beside this one, so
  // this browser gets the answer the portal gives (contract/api-error.ts) from the network.
  await page.route('**/api/session', async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    await route.fulfill({
      status: 429,
      headers: { 'retry-after': '120' },
      json: {
        code: 'TOO_MANY_ATTEMPTS',
        message: 'Too many login attempts.',
        retryAfterSeconds: 120,
      },
    });
  });
  await page.goto('/login');
  await logIn(page);
  const login = loginPage(page);
  await expect(login.alert).toContainText('Too many login attempts.');
  await expect(login.alert).toContainText('Try again in 2 minutes.');
  await expect(page).toHaveURL('/login');
});
