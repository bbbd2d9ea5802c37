import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { filesPage, openFolder, throttleUploads } from './support/files-page';
import { tempDir, writeRandomFile, writeText } from './support/local-files';
import { logIn, logInFromHome, loginPage, shell } from './support/pages';
import { logInByApi, personalSpaceId, type PortalApi } from './support/portal-api';
import { EXPIRY_SERVER } from './support/servers';

// These run against the second portal, whose sessions go idle after a few seconds.
const idle = (page: Page) => page.waitForTimeout((EXPIRY_SERVER.idleTimeoutSeconds + 1.5) * 1000);
// The same wait in the test itself, for when no page runs or the page's clock stands still.
const idleElsewhere = () => new Promise((resolve) => setTimeout(resolve, (EXPIRY_SERVER.idleTimeoutSeconds + 1.5) * 1000));

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

test('opening the app with an expired session says so on the login page', async ({ page, context }) => {
  await logInFromHome(page);
  // The tab is closed (an open one notices the end by itself), and opened again later.
  await page.close();
  await idleElsewhere();
  const again = await context.newPage();
  await again.goto('/files');

  await expect(loginPage(again).heading).toBeVisible();
  await expect(again.getByText(EXPIRED)).toBeVisible();
  await expect(again).toHaveURL('/login?next=%2Ffiles');
});

const SESSION_ENDS_IN = 'x-courier-session-ends-in';

type Credentials = { username: string; password: string };
const idleMs = EXPIRY_SERVER.idleTimeoutSeconds * 1000;

/**
 * Logs the page in as a user of its own. Transfer events reach every tab of their user and make it
 * refetch, which is use: a test's transfers would keep another test's admin session alive.
 */
async function logInAsNewUser(page: Page, browser: Browser): Promise<{ api: PortalApi; credentials: Credentials }> {
  const credentials = await newUserCredentials(browser);
  return { api: await logInByApi(page, credentials), credentials };
}

/** A new user, created by an admin in a context of its own. */
async function newUserCredentials(browser: Browser): Promise<Credentials> {
  const adminContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  try {
    const admin = await logInByApi(await adminContext.newPage());
    const credentials = { username: `idle-${randomUUID().slice(0, 8)}`, password: 'idle-user-Passw0rd!' };
    await admin.post('/api/users', { ...credentials, displayName: 'Ida Idle' });
    return credentials;
  } finally {
    await adminContext.close();
  }
}

async function openNewFolder(page: Page, browser: Browser, prefix: string): Promise<{ folder: string; credentials: Credentials }> {
  const { api, credentials } = await logInAsNewUser(page, browser);
  const folder = `${prefix} ${randomUUID().slice(0, 8)}`;
  await api.post(`/api/spaces/${await personalSpaceId(api)}/folders`, { path: `/${folder}` });
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  await openFolder(page, folder);
  return { folder, credentials };
}

test('an upload that lasts longer than the idle timeout keeps the session', async ({ page, browser }) => {
  test.setTimeout(90_000);
  await openNewFolder(page, browser, 'Long upload');
  const folderUrl = page.url();
  const file = path.join(tempDir('courier-long-upload-'), 'long.bin');
  // 6 MB at 256 KB/s: about 24 s, three idle timeouts, with nothing else touching the portal.
  writeRandomFile(file, 6 * 1024 * 1024);
  await throttleUploads(page, 256 * 1024);
  await filesPage(page).filesInput.setInputFiles(file);

  await expect(page.getByText('Upload complete')).toBeVisible({ timeout: 60_000 });
  await expect(page).toHaveURL(folderUrl);
  await expect(page.getByRole('dialog', { name: 'Your session is about to end' })).toHaveCount(0);
  expect((await page.request.get('/api/session')).status()).toBe(200);
});

test('a warning comes before an idle session ends; "Stay signed in" keeps it, ignoring it ends at the login page', async ({
  page,
  browser,
}) => {
  const { credentials } = await logInAsNewUser(page, browser);
  await page.goto('/transfers');
  const app = shell(page);
  await expect(app.heading).toHaveText('Transfers');

  const warning = page.getByRole('alertdialog', { name: 'Your session is about to end' });
  await expect(warning).toBeVisible({ timeout: idleMs + 5000 });
  await expect(warning).toContainText('you will be logged out at');
  const stay = warning.getByRole('button', { name: 'Stay signed in' });
  const answer = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/session');
  await stay.click();
  // The portal counted it as use: the session has (nearly) a whole idle timeout again.
  expect(Number((await answer).headers()[SESSION_ENDS_IN])).toBeGreaterThan(idleMs - 2000);
  await expect(warning).toBeHidden();
  await expect(page).toHaveURL('/transfers');

  // Left alone this time: the warning again, then the login page, which brings the user back.
  await expect(warning).toBeVisible({ timeout: idleMs + 5000 });
  await expect(page).toHaveURL('/login?next=%2Ftransfers', { timeout: idleMs + 5000 });
  await expect(page.getByText(EXPIRED)).toBeVisible();
  await logIn(page, credentials);
  await expect(page).toHaveURL('/transfers');
});

test("an upload picked after the session expired waits through the login, then goes on the user's word", async ({ page, browser }) => {
  const { folder, folderPath, credentials } = await pickAfterExpiry(page, browser, 'After expiry', 'late.txt');
  await logIn(page, credentials);
  await expect(page).toHaveURL(folderPath);
  await expect(filesPage(page).heading).toHaveText(folder);
  await expect(page.getByText(/SESSION_EXPIRED|Something went wrong/)).toHaveCount(0);

  // The picked file was not sent, and is not lost: the same user is asked.
  await expect(filesPage(page).entry('late.txt')).toHaveCount(0);
  await expect(page.getByText('1 item picked before you logged in again')).toBeVisible();
  await page.getByRole('button', { name: 'Upload now' }).click();
  await expect(filesPage(page).entry('late.txt')).toBeVisible();
  await expect(page.getByText('1 item picked before you logged in again')).toHaveCount(0);
});

test('files held through a login are never offered to someone else who logs in on that browser', async ({ page, browser }) => {
  const { folderPath, credentials } = await pickAfterExpiry(page, browser, 'Not yours', 'private.txt');
  // Someone else logs in at the same login page (a shared computer), then leaves.
  await logIn(page, await newUserCredentials(browser));
  await shell(page).userMenu.click();
  await shell(page).logOut.click();
  await expect(loginPage(page).heading).toBeVisible();

  await logIn(page, credentials);
  await page.goto(folderPath);
  await expect(filesPage(page).heading).toBeVisible();
  await expect(page.getByText(/picked before you logged in again/)).toHaveCount(0);
});

/** Opens a new user's folder, lets the session end while the page sleeps, then picks a file there. */
async function pickAfterExpiry(page: Page, browser: Browser, prefix: string, name: string) {
  // The page's timers stand still (a laptop asleep, a throttled background tab) while the
  // server's time runs on: nothing in the page notices the end before the user acts.
  await page.clock.install();
  const { folder, credentials } = await openNewFolder(page, browser, prefix);
  const folderPath = new URL(page.url()).pathname;
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 100);
  await idleElsewhere();
  await page.clock.resume();

  const file = path.join(tempDir('courier-after-expiry-'), name);
  writeText(file, 'picked after the session ended');
  await filesPage(page).filesInput.setInputFiles(file);

  await expect(page).toHaveURL(`/login?next=${encodeURIComponent(folderPath)}`);
  await expect(page.getByText(EXPIRED)).toBeVisible();
  return { folder, folderPath, credentials };
}
