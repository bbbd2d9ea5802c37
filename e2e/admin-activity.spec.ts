import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { expect, request as playwrightRequest, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { logInByApi, personalSpaceId, type PortalApi } from './support/portal-api';
import { shell } from './support/pages';
import { MAIN_SERVER } from './support/servers';
import { parseCsv } from '../test-kit/parse-csv';

const BASE_URL = `http://127.0.0.1:${MAIN_SERVER.port}`;
const PASSWORD = 'e2e-person-Passw0rd!';

/** A fresh non-admin, made by the admin through the API. */
async function createPerson(admin: PortalApi, prefix: string) {
  const username = `${prefix}-${randomBytes(3).toString('hex')}`;
  const user = await admin.post<{ id: string }>('/api/users', { username, displayName: `${prefix} person`, password: PASSWORD });
  return { id: user.id, username };
}

/** A logged-in API client of its own (another browser, as far as the portal can tell). */
async function apiSession(username: string, password = PASSWORD, userAgent = 'Other browser') {
  const request = await playwrightRequest.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { 'user-agent': userAgent } });
  const login = await request.post('/api/session', { data: { username, password }, timeout: 30_000 });
  expect(login.status()).toBe(200);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return { request, csrfToken };
}

async function sessionStatus(request: APIRequestContext) {
  return (await request.get('/api/session')).status();
}

async function uploadAuthorization(request: APIRequestContext, csrfToken: string, spaceId: string, name: string) {
  const response = await request.post('/api/transfers', {
    data: { spaceId, direction: 'upload', folder: '/', files: [{ path: name, size: 5 }] },
    headers: { 'x-csrf-token': csrfToken },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { transfer: { id: string; title: string }; tokenLifeSeconds: number };
}

test('filters the audit log to a person’s denied actions and exports exactly those rows as CSV', async ({ page }) => {
  const admin = await logInByApi(page);
  const eve = await createPerson(admin, 'eve');
  const asEve = await apiSession(eve.username);
  // Two refusals and one allowed action of hers.
  expect((await asEve.request.get('/api/admin/settings')).status()).toBe(403);
  expect((await asEve.request.get('/api/admin/audit')).status()).toBe(403);
  expect((await asEve.request.get('/api/spaces')).status()).toBe(200);

  await page.goto('/admin/audit');
  await expect(shell(page).heading).toHaveText('Audit log');
  await page.getByLabel('Who').selectOption({ label: `eve person (${eve.username})` });
  await page.getByLabel('Decision').selectOption({ label: 'Denied' });
  await expect(page.getByRole('status').filter({ hasText: 'entries' })).toHaveText('2 entries');
  const rows = page.getByRole('table', { name: 'Audit log entries' }).getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('audit-read');
  await expect(rows.nth(2)).toContainText('settings-read');

  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('courier-audit.csv');
  const csv = parseCsv(await readFile((await download.path())!, 'utf8'));
  expect(csv[0]).toEqual(['time', 'user id', 'username', 'action', 'decision', 'space id', 'target', 'reason']);
  expect(csv.slice(1).map((r) => [r[1], r[2], r[3], r[4]])).toEqual([
    [eve.id, eve.username, 'audit-read', 'deny'],
    [eve.id, eve.username, 'settings-read', 'deny'],
  ]);
  await asEve.request.dispose();
});

test('lists everyone’s transfers filtered by person and status, in the Transfers page’s rows', async ({ page }) => {
  const admin = await logInByApi(page);
  const finn = await createPerson(admin, 'finn');
  const asFinn = await apiSession(finn.username);
  const finnSpaces = (await (await asFinn.request.get('/api/spaces')).json()) as { spaces: Array<{ id: string; personal: boolean }> };
  const finnSpace = finnSpaces.spaces.find((s) => s.personal)!.id;
  const kept = await uploadAuthorization(asFinn.request, asFinn.csrfToken, finnSpace, 'kept.txt');
  const dropped = await uploadAuthorization(asFinn.request, asFinn.csrfToken, finnSpace, 'dropped.txt');
  await uploadAuthorization(page.request, admin.csrf, await personalSpaceId(admin), 'admins-own.txt');
  const cancel = await asFinn.request.patch(`/api/transfers/${dropped.transfer.id}`, {
    data: { status: 'cancelled' },
    headers: { 'x-csrf-token': asFinn.csrfToken },
  });
  expect(cancel.status(), await cancel.text()).toBe(200);

  await page.goto('/admin/transfers');
  await expect(shell(page).heading).toHaveText("Everyone's transfers");
  await page.getByLabel('User', { exact: true }).selectOption({ label: `finn person (${finn.username})` });
  const list = page.getByRole('list', { name: "Everyone's transfers" });
  await expect(list.getByText('kept.txt', { exact: true })).toBeVisible();
  await expect(list.getByText('dropped.txt', { exact: true })).toBeVisible();
  await expect(list.getByText('admins-own.txt', { exact: true })).toHaveCount(0);

  await page.getByLabel('Status').selectOption({ label: 'Cancelled' });
  await expect(page.getByRole('status').filter({ hasText: 'Page 1' })).toHaveText('Page 1: 1 transfer');
  await expect(list.getByText('dropped.txt', { exact: true })).toBeVisible();
  await expect(list.getByText('kept.txt', { exact: true })).toHaveCount(0);
  // The same answer through the API.
  const { transfers } = await admin.get<{ transfers: Array<{ id: string }> }>(`/api/transfers?all=true&userId=${finn.id}&status=cancelled`);
  expect(transfers.map((t) => t.id)).toEqual([dropped.transfer.id]);
  expect(kept.transfer.id).not.toBe(dropped.transfer.id);
  await asFinn.request.dispose();
});

test('a token life changed in Settings is the next transfer’s, and the default comes back', async ({ page }) => {
  const admin = await logInByApi(page);
  const space = await personalSpaceId(admin);
  await page.goto('/admin/settings');
  const form = page.getByRole('form', { name: /Transfer token life/ });
  const defaultValue = Number(await form.getByTestId('transferTokenLifeSeconds-value').textContent());
  const next = defaultValue === 900 ? 960 : 900;
  await form.getByLabel(/New value/).fill(String(next));
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('Saved.')).toBeVisible();
  await expect(form.getByTestId('transferTokenLifeSeconds-value')).toHaveText(String(next));
  expect((await uploadAuthorization(page.request, admin.csrf, space, 'after-change.txt')).tokenLifeSeconds).toBe(next);

  await form.getByRole('button', { name: 'Use the default' }).click();
  await expect(form.getByTestId('transferTokenLifeSeconds-value')).toHaveText(String(defaultValue));
  expect((await uploadAuthorization(page.request, admin.csrf, space, 'after-reset.txt')).tokenLifeSeconds).toBe(defaultValue);
});

test('profile: a new display name shows in the user menu; signing out one session, elsewhere, and a password change end the other browsers', async ({
  page,
}) => {
  const admin = await logInByApi(page);
  const gail = await createPerson(admin, 'gail');
  await page.request.delete('/api/session', { headers: { 'x-csrf-token': admin.csrf } });
  await logInByApi(page, { username: gail.username, password: PASSWORD });
  const other = await apiSession(gail.username, PASSWORD, 'Second browser');

  await page.goto('/files');
  await shell(page).userMenu.click();
  await page.getByRole('link', { name: 'Profile and sessions' }).click();
  await expect(shell(page).heading).toHaveText('Profile');
  await page.getByLabel('Display name').fill('Gail Renamed');
  await page.getByLabel('Email (optional)').fill('not an address');
  await expect(page.getByRole('button', { name: 'Save details' })).toBeDisabled();
  await page.getByLabel('Email (optional)').fill(`${gail.username}@example.com`);
  await page.getByRole('button', { name: 'Save details' }).click();
  await expect(page.getByText('Details saved.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'User menu: Gail Renamed' })).toBeVisible();
  // The address is where notices go: saved, and the page shows it again.
  expect(await (await page.request.get('/api/profile')).json()).toEqual({
    displayName: 'Gail Renamed',
    email: `${gail.username}@example.com`,
  });
  await page.reload();
  await expect(page.getByLabel('Email (optional)')).toHaveValue(`${gail.username}@example.com`);

  const sessions = page.getByRole('table', { name: 'Your sessions' });
  const phone = await apiSession(gail.username, PASSWORD, 'Phone browser');
  await page.reload();
  await expect(sessions.getByRole('row')).toHaveCount(4);
  await expect(sessions.getByRole('row').filter({ hasText: 'This session' })).toHaveCount(1);
  await expect(sessions.getByRole('row').filter({ hasText: 'Second browser' })).toHaveCount(1);
  // One session signed out from its row: only that browser is out.
  await page.getByRole('button', { name: 'Sign out the session of Phone browser' }).click();
  await expect(sessions.getByRole('row')).toHaveCount(3);
  expect(await sessionStatus(phone.request)).toBe(401);
  expect(await sessionStatus(other.request)).toBe(200);
  await phone.request.dispose();
  await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await expect(sessions.getByRole('row')).toHaveCount(2);
  expect(await sessionStatus(other.request)).toBe(401);
  await other.request.dispose();

  const again = await apiSession(gail.username, PASSWORD, 'Third browser');
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill('a-new-Passw0rd!');
  await page.getByLabel('Repeat the new password').fill('a-new-Passw0rd!');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('1 other session signed out.')).toBeVisible();
  expect(await sessionStatus(again.request)).toBe(401);
  expect(await sessionStatus(page.request)).toBe(200);
  await again.request.dispose();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`the new screens in ${colorScheme}`, () => {
    test.use({ colorScheme });

    /** Opens `path` and scans it once `loaded` (its data, not a loading line) is shown. */
    async function scan(page: Page, path: string, heading: string, loaded: (page: Page) => Locator) {
      await page.goto(path);
      await expect(shell(page).heading).toHaveText(heading);
      await expect(loaded(page)).toBeVisible();
      await expectNoViolations(page, `${path} (${colorScheme})`);
    }

    test('pass axe', async ({ page }) => {
      await logInByApi(page);
      // An export is audited: the log has at least that row to draw, on a fresh portal too.
      expect((await page.request.get('/api/admin/audit.csv')).status()).toBe(200);
      await scan(page, '/admin/audit', 'Audit log', (p) => p.getByRole('table', { name: 'Audit log entries' }));
      await scan(page, '/admin/transfers', "Everyone's transfers", (p) =>
        p.getByRole('status').filter({ hasText: /^(Page 1|No transfers)/ }),
      );
      await scan(page, '/admin/settings', 'Settings', (p) => p.getByRole('form', { name: /Session idle timeout/ }));
      await scan(page, '/profile', 'Profile', (p) => p.getByRole('table', { name: 'Your sessions' }));
    });
  });
}
