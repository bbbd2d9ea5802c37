import { randomBytes } from 'node:crypto';
import { expect, request as playwrightRequest, test, type Page } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { logInByApi } from './support/portal-api';
import { shell } from './support/pages';
import { MAIN_SERVER } from './support/servers';

// The profile page's API tokens (docs/api-tokens.md §1) in Chromium against the real portal: a
// token is shown once, works for a script, and stops working when revoked.
const BASE_URL = `http://127.0.0.1:${MAIN_SERVER.port}`;
const PASSWORD = 'e2e-person-Passw0rd!';

/** Logs the page in as a fresh non-admin, made by the admin through the API. */
async function logInAsNewPerson(page: Page, prefix: string) {
  const admin = await logInByApi(page);
  const username = `${prefix}-${randomBytes(3).toString('hex')}`;
  await admin.post('/api/users', { username, displayName: `${prefix} person`, password: PASSWORD });
  await page.request.delete('/api/session', { headers: { 'x-csrf-token': admin.csrf } });
  await logInByApi(page, { username, password: PASSWORD });
}

/** A script's request with `secret` as its bearer token and no cookie: its status and Set-Cookie. */
async function asScript(secret: string, path = '/api/spaces') {
  const script = await playwrightRequest.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const response = await script.get(path);
  const result = { status: response.status(), setCookie: response.headers()['set-cookie'] };
  await script.dispose();
  return result;
}

/** Ticks a scope from the keyboard (Carbon's label covers the box for a pointer). */
async function tickScope(page: Page, scope: 'transfer' | 'admin') {
  const box = page.getByRole('checkbox', { name: new RegExp(`^${scope}:`) });
  await box.focus();
  await page.keyboard.press('Space');
  await expect(box).toBeChecked();
}

async function openTokens(page: Page) {
  await page.goto('/profile');
  await expect(shell(page).heading).toHaveText('Profile');
  await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible();
}

test('creates a token, shows it once with a copy button, lists it, and revokes it by keyboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await logInAsNewPerson(page, 'tina');
  await openTokens(page);
  await expect(page.getByText('You have no API tokens.')).toBeVisible();
  // Only an admin may give a token the admin scope: a member is not offered it.
  await expect(page.getByRole('checkbox', { name: /^admin:/ })).toHaveCount(0);

  await page.getByLabel('Name', { exact: true }).fill('Nightly backup');
  await page.getByLabel('Expires after').selectOption('7');
  await tickScope(page, 'transfer');
  await page.getByRole('button', { name: 'Create token' }).click();

  const secretField = page.getByLabel('Your new token');
  await expect(secretField).toBeFocused();
  const secret = await secretField.inputValue();
  expect(secret).toMatch(/^courier_pat_[A-Za-z0-9_-]{43}$/);
  await page.getByRole('button', { name: 'Copy token' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Token copied.' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  // The token works for a script, with no cookie set.
  expect(await asScript(secret)).toEqual({ status: 200, setCookie: undefined });

  const table = page.getByRole('table', { name: 'Your API tokens' });
  const row = table.getByRole('row').filter({ hasText: 'Nightly backup' });
  await expect(row).toContainText('read');
  await expect(row).toContainText('transfer');

  // Shown once: gone when dismissed, and nowhere after a reload; its use is listed.
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByLabel('Your new token')).toHaveCount(0);
  await page.reload();
  await expect(row).toBeVisible();
  await expect(row).not.toContainText('Never');
  expect(await page.content()).not.toContain(secret);

  await row.getByRole('button', { name: 'Revoke the token Nightly backup' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Token “Nightly backup” revoked.' })).toBeVisible();
  await expect(page.getByText('You have no API tokens.')).toBeVisible();
  expect((await asScript(secret)).status).toBe(401);
});

test('an admin may give a token the admin scope, which a member token lacks', async ({ page }) => {
  await logInByApi(page);
  await openTokens(page);
  await page.getByLabel('Name', { exact: true }).fill(`admin-script-${randomBytes(2).toString('hex')}`);
  await tickScope(page, 'admin');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = await page.getByLabel('Your new token').inputValue();
  expect((await asScript(secret, '/api/users')).status).toBe(200);

  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByLabel('Name', { exact: true }).fill(`read-script-${randomBytes(2).toString('hex')}`);
  await page.getByRole('button', { name: 'Create token' }).click();
  const readOnly = await page.getByLabel('Your new token').inputValue();
  expect((await asScript(readOnly, '/api/users')).status).toBe(403);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the API tokens section passes axe in ${colorScheme}, with the new token shown and with the list`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await logInAsNewPerson(page, 'axel');
    await openTokens(page);
    await page.getByLabel('Name', { exact: true }).fill('Scanned');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect(page.getByLabel('Your new token')).toBeVisible();
    await expectNoViolations(page, `/profile, new token (${colorScheme})`);
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByRole('table', { name: 'Your API tokens' })).toBeVisible();
    await expectNoViolations(page, `/profile, tokens listed (${colorScheme})`);
  });
}
