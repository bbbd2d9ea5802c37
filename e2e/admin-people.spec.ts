import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { docroot } from './support/docroot';
import { LOGIN_TIMEOUT, logIn, loginPage, shell } from './support/pages';
import { logInByApi, personalSpaceId, type PortalApi } from './support/portal-api';

const PASSWORD = 'people-Passw0rd!';
const uniqueName = (prefix: string) => `${prefix}${randomUUID().replace(/-/g, '').slice(0, 10)}`;

type Listed = { id: string; username: string; displayName: string; email: string | null; isAdmin: boolean; disabled: boolean };
const findUser = async (admin: PortalApi, username: string) =>
  (await admin.get<{ users: Listed[] }>(`/api/users?search=${username}`)).users.find((u) => u.username === username);

/** The users page, searched down to one user, with that user's Manage dialog open. */
async function manage(page: Page, username: string) {
  await page.goto('/admin/users');
  await page.getByRole('searchbox', { name: 'Search users' }).fill(username);
  await expect(page.getByRole('row').filter({ hasText: username })).toHaveCount(1);
  await page.getByRole('button', { name: `Manage ${username}` }).click();
  const dialog = page.getByRole('dialog', { name: `Manage ${username}` });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('an admin creates, disables, re-enables and resets a user, and the user feels each at once', async ({ browser, page }) => {
  test.setTimeout(120_000);
  const admin = await logInByApi(page);
  const username = uniqueName('pat');

  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(shell(page).heading).toHaveText('Users');
  await page.getByRole('button', { name: 'Create user' }).click();
  const create = page.getByRole('dialog', { name: 'Create user' });
  await create.getByLabel('Username').fill(username);
  await create.getByLabel('Display name').fill('Pat People');
  await create.getByLabel('Email (optional)').fill(`${username}@example.com`);
  await create.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await create.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(create).toBeHidden();
  expect(await findUser(admin, username)).toMatchObject({ displayName: 'Pat People', email: `${username}@example.com`, isAdmin: false });

  // The user logs in with the form, in a browser of their own.
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const userPage = await context.newPage();
  await userPage.goto('/');
  await logIn(userPage, { username, password: PASSWORD });
  await expect(shell(userPage).heading).toHaveText('Files');

  // Disabled: the open session ends and a new login is refused with the reason.
  let dialog = await manage(page, username);
  await dialog.getByRole('switch', { name: 'Account enabled' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Account disabled' })).toBeVisible();
  expect((await findUser(admin, username))?.disabled).toBe(true);
  expect((await userPage.request.get('/api/session')).status()).toBe(401);
  await userPage.reload();
  const login = loginPage(userPage);
  await expect(login.heading).toBeVisible();
  await logIn(userPage, { username, password: PASSWORD });
  await expect(login.alert).toContainText('This account is disabled.');
  await expect(login.alert).toContainText('Ask an administrator.');

  // Enabled again: they log in.
  await dialog.getByRole('switch', { name: 'Account enabled' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Account enabled.' })).toBeVisible();
  await logIn(userPage, { username, password: PASSWORD });
  await expect(shell(userPage).heading).toHaveText('Files', { timeout: LOGIN_TIMEOUT });

  // A reset password is shown once; the old one stops working and the new one logs in.
  await dialog.getByRole('button', { name: 'Reset password' }).click();
  const oneTime = (await dialog.getByTestId('one-time-password').textContent())!.trim();
  expect(oneTime).toMatch(/^[A-Za-z2-9]{16}$/);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await userPage.reload();
  await logIn(userPage, { username, password: PASSWORD });
  await expect(login.alert).toContainText('Wrong username or password.');
  await logIn(userPage, { username, password: oneTime });
  // One-time: nothing opens until they choose their own.
  await expect(shell(userPage).heading).toHaveText('Choose a new password', { timeout: LOGIN_TIMEOUT });
  await expect(userPage.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  expect((await userPage.request.get('/api/spaces')).status()).toBe(403);
  await expectNoViolations(userPage, 'forced password change');
  await userPage.getByLabel('Current password').fill(oneTime);
  await userPage.getByLabel('New password', { exact: true }).fill(`${PASSWORD}-mine`);
  await userPage.getByLabel('Repeat the new password').fill(`${PASSWORD}-mine`);
  await userPage.getByRole('button', { name: 'Change password' }).click();
  await expect(shell(userPage).heading).toHaveText('Files', { timeout: LOGIN_TIMEOUT });
  expect((await userPage.request.get('/api/spaces')).status()).toBe(200);
  await context.close();

  // Edits and the admin role, checked through the API.
  dialog = await manage(page, username);
  await dialog.getByLabel('Display name').fill('Pat Renamed');
  await dialog.getByRole('button', { name: 'Save name and email' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Name and email saved.' })).toBeVisible();
  await dialog.getByRole('switch', { name: 'Administrator' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Now an administrator.' })).toBeVisible();
  expect(await findUser(admin, username)).toMatchObject({ displayName: 'Pat Renamed', isAdmin: true });
});

test('an admin cannot take away their own role or disable themselves from the page', async ({ page }) => {
  await logInByApi(page);
  const dialog = await manage(page, 'admin');
  await expect(dialog.getByRole('switch', { name: 'Administrator' })).toBeDisabled();
  await expect(dialog.getByRole('switch', { name: 'Account enabled' })).toBeDisabled();
  await expect(dialog.getByRole('button', { name: 'Delete user…' })).toHaveCount(0);
});

test('an admin sees a locked account and unlocks it, and the user can log in again', async ({ page }) => {
  test.setTimeout(60_000);
  const admin = await logInByApi(page);
  const username = uniqueName('lou');
  await admin.post('/api/users', { username, displayName: 'Lou Locked', password: PASSWORD });
  // The account-wide lock as 100 guesses from many addresses would leave it, written straight into
  // the portal's database: guessing that often from here would lock this address out of every spec.
  const db = new SqliteDatabase(path.join(process.env.COURIER_E2E_DATA_DIR!, 'courier.db'));
  try {
    db.prepare('INSERT INTO login_throttle (key, failures, window_started_at, not_before) VALUES (?, ?, ?, 0)').run(
      `account:${username}`,
      100,
      Date.now(),
    );
  } finally {
    db.close();
  }
  const refused = await page.request.post('/api/session', { data: { username, password: PASSWORD }, failOnStatusCode: false });
  expect(refused.status()).toBe(429);

  const dialog = await manage(page, username);
  await expect(dialog.getByText(/Locked after 100 failed logins/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(dialog.getByText('Not locked.')).toBeVisible();
  const { locks } = await admin.get<{ locks: Array<{ account: string | null }> }>('/api/admin/login-locks');
  expect(locks.filter((l) => l.account === username)).toEqual([]);
  const again = await page.request.post('/api/session', { data: { username, password: PASSWORD }, failOnStatusCode: false });
  expect(again.status()).toBe(200);
});

for (const choice of ['keep', 'delete'] as const) {
  test(`deleting a user asks about their personal space and their transfer history, and does it: ${choice}`, async ({ browser, page }) => {
    test.setTimeout(90_000);
    const admin = await logInByApi(page);
    const username = uniqueName(choice);
    const { id } = await admin.post<{ id: string }>('/api/users', { username, displayName: `Dee ${choice}`, password: PASSWORD });
    const shared = await admin.post<{ id: string }>('/api/spaces', { name: uniqueName('Dee shared ') });
    await admin.put(`/api/spaces/${shared.id}/members`, { principalType: 'user', principalId: id, role: 'contributor' });
    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const user = await logInByApi(await context.newPage(), { username, password: PASSWORD });
    const spaceId = await personalSpaceId(user);
    const folder = docroot('home', username);
    mkdirSync(folder, { recursive: true });
    writeFileSync(`${folder}/notes.txt`, 'mine');
    // A transfer in a shared space: its record outlives the personal space either way.
    await user.post('/api/transfers', { spaceId: shared.id, direction: 'upload', folder: '/', files: [{ path: 'n.txt', size: 1 }] });
    await context.close();

    const dialog = await manage(page, username);
    await dialog.getByRole('button', { name: 'Delete user…' }).click();
    const confirm = page.getByRole('dialog', { name: `Delete ${username}?` });
    // Nothing is assumed: the delete waits for a choice.
    await expect(confirm.getByRole('button', { name: 'Delete user' })).toBeDisabled();
    await confirm.getByText(choice === 'keep' ? /Keep it as a shared space/ : 'Delete it and every file in it').click();
    await expect(confirm.getByRole('button', { name: 'Delete user' })).toBeDisabled();
    await confirm.getByText(choice === 'keep' ? /Keep it: the records still show/ : 'Delete it with them').click();
    await confirm.getByRole('button', { name: 'Delete user' }).click();
    await expect(confirm).toBeHidden();

    const { transfers } = await admin.get<{ transfers: Array<{ userName?: string }> }>(`/api/transfers?all=1&userId=${id}`);
    expect(transfers.map((t) => t.userName)).toEqual(choice === 'keep' ? [`${username} (deleted)`] : []);

    expect(await findUser(admin, username)).toBeUndefined();
    const space = await admin.request.get(`/api/spaces/${spaceId}`);
    if (choice === 'keep') {
      expect(existsSync(`${folder}/notes.txt`)).toBe(true);
      expect(await space.json()).toMatchObject({ name: `Dee keep's files`, personal: false });
    } else {
      expect(existsSync(folder)).toBe(false);
      expect(space.status()).toBe(404);
    }
  });
}

test('an admin creates, renames, fills, empties and deletes a group', async ({ page }) => {
  test.setTimeout(60_000);
  const admin = await logInByApi(page);
  const member = uniqueName('gm');
  const created = await admin.post<{ id: string }>('/api/users', { username: member, displayName: 'Gina Member', password: PASSWORD });
  const name = uniqueName('Team ');
  const groupOf = async (groupName: string) =>
    (await admin.get<{ groups: Array<{ id: string; name: string; memberIds: string[] }> }>('/api/groups')).groups.find(
      (g) => g.name === groupName,
    );

  await page.goto('/admin/groups');
  await page.getByLabel('New group name').fill(name);
  await page.getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
  expect(await groupOf(name)).toMatchObject({ memberIds: [] });

  await page.getByRole('button', { name: `Edit ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Edit ${name}` });
  await dialog.getByLabel('Group name').fill(`${name} renamed`);
  await dialog.getByRole('button', { name: 'Rename' }).click();
  await expect(dialog.getByRole('status')).toHaveText(`Renamed to ${name} renamed.`);
  await dialog.getByRole('combobox', { name: 'Add a member' }).fill(member);
  await dialog.getByRole('option', { name: `Gina Member (${member})` }).click();
  await expect(dialog.getByRole('status')).toHaveText(`Added ${member}.`);
  expect(await groupOf(`${name} renamed`)).toMatchObject({ memberIds: [created.id] });
  await dialog.getByRole('button', { name: `Remove Gina Member (${member})` }).click();
  await expect(dialog.getByRole('status')).toHaveText(`Removed Gina Member (${member}).`);
  expect(await groupOf(`${name} renamed`)).toMatchObject({ memberIds: [] });
  await dialog.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('button', { name: `Delete ${name} renamed` }).click();
  await page
    .getByRole('dialog', { name: `Delete the group ${name} renamed?` })
    .getByRole('button', { name: 'Delete group' })
    .click();
  await expect(page.getByRole('heading', { name: `${name} renamed`, level: 2 })).toHaveCount(0);
  expect(await groupOf(`${name} renamed`)).toBeUndefined();
});

test('a non-admin sees no Admin entry, is told no at /admin/users, and the API refuses them', async ({ browser, page }) => {
  const admin = await logInByApi(page);
  const username = uniqueName('nora');
  await admin.post('/api/users', { username, displayName: 'Nora', password: PASSWORD });
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const userPage = await context.newPage();
  await logInByApi(userPage, { username, password: PASSWORD });
  await userPage.goto('/files');
  await expect(shell(userPage).nav.getByRole('link', { name: 'Files' })).toBeVisible();
  await expect(shell(userPage).nav.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await userPage.goto('/admin/users');
  await expect(shell(userPage).heading).toHaveText('Not allowed');
  await expect(userPage.getByRole('table', { name: 'Users' })).toHaveCount(0);
  expect((await userPage.request.get('/api/users')).status()).toBe(403);
  await context.close();

  await page.goto('/files');
  await shell(page).nav.getByRole('link', { name: 'Admin' }).click();
  await expect(shell(page).heading).toHaveText('Users');
});

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`axe, ${colorScheme}`, () => {
    test.use({ colorScheme });
    test(`the users and groups pages and the user dialog have no violations (${colorScheme})`, async ({ page }) => {
      const admin = await logInByApi(page);
      await admin.post('/api/groups', { name: uniqueName('Axe ') });
      await page.goto('/admin/users');
      await expect(page.getByRole('table', { name: 'Users' }).getByRole('row').nth(1)).toBeVisible();
      await expectNoViolations(page, `admin users (${colorScheme})`);
      await page.getByRole('searchbox', { name: 'Search users' }).fill('admin');
      await page.getByRole('button', { name: 'Manage admin' }).click();
      await expect(page.getByRole('dialog', { name: 'Manage admin' }).getByText('Not locked.')).toBeVisible();
      await expectNoViolations(page, `admin user dialog (${colorScheme})`);
      await page.goto('/admin/groups');
      await expect(page.getByRole('list', { name: 'Groups' }).getByRole('listitem').first()).toBeVisible();
      await expectNoViolations(page, `admin groups (${colorScheme})`);
    });
  });
}
