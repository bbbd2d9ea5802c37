import { expect, type Page } from '@playwright/test';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from './servers';

/**
 * Logging in runs a memory-hard KDF on the server on purpose; on a busy CI machine that takes
 * seconds, so waiting for its outcome gets more time than other expectations.
 */
export const LOGIN_TIMEOUT = 20_000;

/** The login page's parts, found the way a user (or a screen reader) finds them. */
export function loginPage(page: Page) {
  return {
    heading: page.getByRole('heading', { name: 'Log in to Courier', level: 1 }),
    username: page.getByLabel('Username'),
    // exact: the password field's "Show password" button also mentions the word.
    password: page.getByLabel('Password', { exact: true }),
    submit: page.getByRole('button', { name: 'Log in' }),
    // Carbon's text inputs carry an always-present, empty live region with the alert role.
    alert: page.getByRole('alert').filter({ hasText: /\S/ }),
  };
}

/** The app shell's parts. */
export function shell(page: Page) {
  return {
    banner: page.getByRole('banner'),
    nav: page.getByRole('navigation', { name: 'Main' }),
    userMenu: page.getByRole('button', { name: /^User menu/ }),
    logOut: page.getByRole('button', { name: 'Log out' }),
    heading: page.getByRole('heading', { level: 1 }),
  };
}

export async function logIn(page: Page, credentials = { username: ADMIN_USERNAME, password: ADMIN_PASSWORD }) {
  const login = loginPage(page);
  await expect(login.heading).toBeVisible();
  await login.username.fill(credentials.username);
  await login.password.fill(credentials.password);
  await login.submit.click();
  await waitForLoginOutcome(page);
}

/** The form shows "Logging in…" until the server has answered, whichever way. */
export async function waitForLoginOutcome(page: Page) {
  await expect(page.getByText('Logging in…')).toHaveCount(0, { timeout: LOGIN_TIMEOUT });
}

export async function logInFromHome(page: Page) {
  await page.goto('/');
  await logIn(page);
  await expect(shell(page).heading).toHaveText('Files');
}
