import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DESKTOP_DOWNLOAD_PAGE } from '../src/transfer-clients/aspera-sdk/desktop-download-page';
import { IBM_INSTALLER_URL } from '../src/transfer-clients/aspera-sdk/testing/fake-aspera-sdk';
import { installFakeAsperaSdk } from '../src/transfer-clients/aspera-sdk/testing/install-fake-aspera-sdk';
import { clientLine, filesPage, transferRow, transferTray } from './support/files-page';
import { spaceOnHstsNode } from './support/hsts-space';
import { logInByApi } from './support/portal-api';
import { ASPERA_SDK_URL } from './support/servers';
import { tempDir, writeText } from './support/local-files';

async function openSpace(page: Page, name: string) {
  await page.goto('/files');
  await page.getByRole('link', { name }).click();
  await expect(filesPage(page).heading).toHaveText(name);
}

const transferWith = (page: Page) => page.getByRole('combobox', { name: 'Transfer with' });

test('fake IBM SDK as Desktop: the SPA hands it an upload picked in its dialog and follows its events to completed', async ({ page }) => {
  const pageErrors: Error[] = [];
  page.on('pageerror', (e) => pageErrors.push(e));
  const fileName = `report-${randomUUID().slice(0, 8)}.pdf`;
  await installFakeAsperaSdk(page, ASPERA_SDK_URL, {
    status: 'RUNNING',
    stepMs: 300,
    progressSteps: 5,
    dialogFiles: [{ name: `/home/e2e/${fileName}`, size: 5_000_000, type: 'application/pdf', lastModified: Date.now() }],
  });
  const api = await logInByApi(page);
  const space = await spaceOnHstsNode(api);
  await openSpace(page, space.name);
  await expect(transferWith(page)).toHaveValue('auto');
  await expect(page.getByText('IBM Aspera for Desktop is running.')).toBeVisible();

  await filesPage(page).uploadFiles.click();
  // No banner: the tray, on this page already, lists it.
  const tray = transferTray(page);
  await tray.toggle.click();
  await expect(tray.row(fileName).row).toBeVisible();
  await tray.toggle.click();
  const started = () =>
    page.evaluate(() =>
      (window as unknown as { __fakeAsperaSdk: { started: { spec: { paths: unknown[] } }[] } }).__fakeAsperaSdk.started.map(
        (s) => s.spec.paths,
      ),
    );
  await expect.poll(started).toEqual([[{ source: `/home/e2e/${fileName}`, destination: fileName }]]);

  await page.getByRole('link', { name: 'Transfers' }).click();
  const row = transferRow(page, fileName);
  await expect(clientLine(page)).toHaveText(/^IBM Aspera for Desktop — /);
  // The fake reports 1/5 … 5/5 one step apart: some percentage between 0 and 100 shows first.
  await expect(row.row.getByText(/^([1-9]\d?)% · /)).toBeVisible({ timeout: 10_000 });
  await expect(row.status).toHaveText('Completed', { timeout: 15_000 });
  await expect(row.row.getByText(/^100% · /)).toBeVisible();
  expect(pageErrors).toEqual([]);
});

/** What IBM's download site lists (its `latest.json`), as the SDK's installer lookup reads it. */
const LATEST_JSON = {
  entries: ['linux', 'macos', 'windows'].map((platform) => ({
    platform,
    arch: 'x64',
    type: platform === 'linux' ? 'deb' : 'pkg',
    url: `https://downloads.ibmaspera.com/downloads/desktop/${platform}/1.0.16/stable/x64/ibm-aspera-desktop-1.0.16.${platform}`,
    version: '1.0.16',
  })),
};

/** Records the page's Content-Security-Policy violations from its first script on. */
async function recordCspViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}

const desktopNotice = (page: Page) => page.getByRole('status').filter({ hasText: 'IBM Aspera for Desktop is unavailable' });

test("fake IBM SDK, Desktop not running: Launch opens the SDK's aspera:// frame, the page's CSP lets it through, and Desktop comes; uploads meanwhile go through the gateway", async ({
  page,
}) => {
  const violations = await recordCspViolations(page);
  await page.route(`${IBM_INSTALLER_URL}/latest.json`, (route) => route.abort('internetdisconnected'));
  await installFakeAsperaSdk(page, ASPERA_SDK_URL, { status: 'FAILED', stepMs: 300, launchStartsDesktop: true });
  const api = await logInByApi(page);
  const space = await spaceOnHstsNode(api);
  await openSpace(page, space.name);
  const notice = desktopNotice(page);
  await expect(notice).toBeVisible();

  const local = path.join(tempDir('courier-desktop-'), 'via-gateway.txt');
  writeText(local, 'sent by the browser\n');
  await filesPage(page).filesInput.setInputFiles(local);
  await expect(filesPage(page).entry('via-gateway.txt')).toBeVisible({ timeout: 15_000 });

  await notice.getByRole('button', { name: 'Launch Desktop' }).click();
  await expect(page.locator('iframe[src="aspera://"]')).toHaveCount(1);
  // Desktop starts only if the frame was not refused (the fake reads the page's CSP violations).
  await expect(page.getByText('IBM Aspera for Desktop is running.')).toBeVisible();
  await expect(notice).toBeHidden();
  expect(await violations()).toEqual([]);

  // After the aspera:// frame, headless Chromium keeps the tab's mouse input for its external-
  // protocol prompt (a real browser shows the prompt, and the person answers it): the link is
  // clicked in the page instead.
  await page.getByRole('link', { name: 'Transfers' }).dispatchEvent('click');
  const row = transferRow(page, 'via-gateway.txt');
  await expect(clientLine(page)).toHaveText(/^HTTP Gateway — IBM Aspera for Desktop was not found/);
  await expect(row.status).toHaveText('Completed');
});

test("fake IBM SDK, Desktop not installed: the install link is the installer IBM's download site lists for this platform, read from the page", async ({
  page,
}) => {
  const violations = await recordCspViolations(page);
  const lookup = page.waitForRequest(`${IBM_INSTALLER_URL}/latest.json`);
  await page.route(`${IBM_INSTALLER_URL}/latest.json`, (route) =>
    route.fulfill({ status: 200, json: LATEST_JSON, headers: { 'access-control-allow-origin': '*' } }),
  );
  await installFakeAsperaSdk(page, ASPERA_SDK_URL, { status: 'FAILED', stepMs: 100 });
  const api = await logInByApi(page);
  const space = await spaceOnHstsNode(api);
  await openSpace(page, space.name);

  const install = desktopNotice(page).getByRole('link', { name: 'Install IBM Aspera for Desktop 1.0.16' });
  await expect(install).toHaveAttribute('href', LATEST_JSON.entries[0]!.url);
  await lookup;
  expect(await violations()).toEqual([]);
});

test("fake IBM SDK, Desktop not installed and IBM's download site unreachable: the install link is IBM's Desktop download page", async ({
  page,
}) => {
  await page.route(`${IBM_INSTALLER_URL}/latest.json`, (route) => route.abort('internetdisconnected'));
  await installFakeAsperaSdk(page, ASPERA_SDK_URL, { status: 'FAILED', stepMs: 100 });
  const api = await logInByApi(page);
  const space = await spaceOnHstsNode(api);
  await openSpace(page, space.name);

  const install = desktopNotice(page).getByRole('link', { name: /^Install IBM Aspera for Desktop/ });
  await expect(install).toHaveAttribute('href', DESKTOP_DOWNLOAD_PAGE);
  await expect(install).toHaveText('Install IBM Aspera for Desktop');
});

test('an SDK URL that does not load (no fake installed): the UI says Desktop is unavailable and uploads go through the gateway', async ({
  page,
}) => {
  const pageErrors: Error[] = [];
  page.on('pageerror', (e) => pageErrors.push(e));
  await page.route(ASPERA_SDK_URL, (route) => route.abort('connectionrefused'));
  await logInByApi(page);
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  await expect(filesPage(page).heading).toHaveText('My files');

  const notice = page.getByRole('status').filter({ hasText: 'IBM Aspera for Desktop is unavailable' });
  await expect(notice).toContainText('The IBM Aspera SDK could not be loaded');

  const name = `no-sdk-${randomUUID().slice(0, 8)}.txt`;
  const local = path.join(tempDir('courier-no-sdk-'), name);
  writeText(local, 'gateway only\n');
  await filesPage(page).filesInput.setInputFiles(local);
  await expect(filesPage(page).entry(name)).toBeVisible({ timeout: 15_000 });

  await page.getByRole('link', { name: 'Transfers' }).click();
  const row = transferRow(page, name);
  await expect(clientLine(page)).toHaveText(/^HTTP Gateway — /);
  await expect(row.status).toHaveText('Completed');
  expect(pageErrors).toEqual([]);
});

test("fake IBM SDK, Desktop running, a space whose node takes only the gateway: Desktop's pick fails clearly, then the browser's dialog opens", async ({
  page,
}) => {
  await installFakeAsperaSdk(page, ASPERA_SDK_URL, {
    status: 'RUNNING',
    stepMs: 100,
    dialogFiles: [{ name: '/home/e2e/picked.txt', size: 10, type: 'text/plain', lastModified: Date.now() }],
  });
  await logInByApi(page);
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  await expect(page.getByText('IBM Aspera for Desktop is running.')).toBeVisible();

  await filesPage(page).uploadFiles.click();
  await expect(page.getByText(/takes uploads through the browser only/).first()).toBeVisible();

  const chooser = page.waitForEvent('filechooser');
  await filesPage(page).uploadFiles.click();
  await chooser;
});

type FakeSdkWindow = {
  __fakeAsperaSdk: {
    queueScenario: (...s: string[]) => void;
    store: Map<string, { status: string }>;
    started: unknown[];
  };
};

/** A Desktop upload of files picked in Desktop's dialog, followed to its row on the Transfers page. */
async function desktopUpload(page: Page, options: { stepMs: number; progressSteps: number; names: string[] }) {
  await installFakeAsperaSdk(page, ASPERA_SDK_URL, {
    status: 'RUNNING',
    stepMs: options.stepMs,
    progressSteps: options.progressSteps,
    dialogFiles: options.names.map((n) => ({ name: `/home/e2e/${n}`, size: 1_000_000, type: 'application/octet-stream', lastModified: 1 })),
  });
  const api = await logInByApi(page);
  const space = await spaceOnHstsNode(api);
  await openSpace(page, space.name);
  await expect(page.getByText('IBM Aspera for Desktop is running.')).toBeVisible();
  return { space, api };
}

const fakeStatuses = (page: Page) =>
  page.evaluate(() => [...(window as unknown as FakeSdkWindow).__fakeAsperaSdk.store.values()].map((t) => t.status));

test('fake IBM SDK as Desktop: a finished transfer expands to the files Desktop reports', async ({ page }) => {
  const names = [`a-${randomUUID().slice(0, 6)}.pdf`, `b-${randomUUID().slice(0, 6)}.pdf`];
  await desktopUpload(page, { stepMs: 100, progressSteps: 2, names });
  await filesPage(page).uploadFiles.click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transfers' }).click();
  const row = transferRow(page, /^2 files/);
  await expect(row.status).toHaveText('Completed', { timeout: 15_000 });
  await row.row.getByRole('button', { name: 'Show files (2)' }).click();
  for (const name of names) await expect(row.files.getByRole('row', { name: new RegExp(`/home/e2e/${name} Done`) })).toBeVisible();
});

test('fake IBM SDK as Desktop: Pause stops the transfer through the SDK and Resume carries it on to the end', async ({ page }) => {
  const name = `pause-${randomUUID().slice(0, 8)}.bin`;
  await desktopUpload(page, { stepMs: 400, progressSteps: 10, names: [name] });
  await filesPage(page).uploadFiles.click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transfers' }).click();
  const row = transferRow(page, name);
  await expect(row.status).toHaveText('Running', { timeout: 10_000 });
  await row.row.getByRole('button', { name: `Pause ${name}` }).click();
  await expect(row.status).toHaveText('Paused');
  // Desktop was told to stop (the SDK's stop, which Desktop resumes from), and the row is not cancelled.
  expect(await fakeStatuses(page)).toEqual(['cancelled']);
  await expect(row.row.getByRole('button', { name: `Pause ${name}` })).toBeHidden();
  await row.row.getByRole('button', { name: `Resume ${name}` }).click();
  await expect(row.status).toHaveText('Completed', { timeout: 15_000 });
  expect(await fakeStatuses(page)).toEqual(['completed']);
});

test('fake IBM SDK as Desktop: Retry of a failed transfer resumes it where it stopped, no new transfer', async ({ page }) => {
  const name = `resume-${randomUUID().slice(0, 8)}.bin`;
  await desktopUpload(page, { stepMs: 200, progressSteps: 4, names: [name] });
  await page.evaluate(() => (window as unknown as FakeSdkWindow).__fakeAsperaSdk.queueScenario('fail'));
  let created = 0;
  page.on('request', (r) => {
    if (r.url().endsWith('/api/transfers') && r.method() === 'POST') created += 1;
  });
  await filesPage(page).uploadFiles.click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transfers' }).click();
  const row = transferRow(page, name);
  await expect(row.status).toHaveText('Failed', { timeout: 10_000 });
  await expect(row.row).toContainText('Retry continues where it stopped.');
  expect(created).toBe(1);
  await row.row.getByRole('button', { name: `Retry ${name}` }).click();
  await expect(row.status).toHaveText('Completed', { timeout: 15_000 });
  expect(created).toBe(1);
  expect(await page.evaluate(() => (window as unknown as FakeSdkWindow).__fakeAsperaSdk.started.length)).toBe(1);
});
