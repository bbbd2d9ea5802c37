import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { installFakeAsperaSdk } from '../src/transfer-clients/aspera-sdk/testing/install-fake-aspera-sdk';
import { docroot } from './support/docroot';
import { spaceOnHstsNode } from './support/hsts-space';
import { ASPERA_SDK_URL } from './support/servers';
import { filesPage } from './support/files-page';
import { logInByApi, type PortalApi } from './support/portal-api';
import { tempDir, writeText } from './support/local-files';

/** A space of its own on disk, with report.txt ("original") and Photos/a.jpg, opened in the page. */
async function spaceWithFiles(page: Page, admin: PortalApi, name: string) {
  const rootPath = `/e2e-conflicts-${randomUUID().slice(0, 8)}`;
  const root = docroot(rootPath);
  mkdirSync(path.join(root, 'Photos'), { recursive: true });
  writeFileSync(path.join(root, 'report.txt'), 'original');
  writeFileSync(path.join(root, 'Photos', 'a.jpg'), 'photo');
  const space = await admin.post<{ id: string; name: string }>('/api/spaces', { name, rootPath });
  return { space, root, onDisk: (file: string) => readFileSync(path.join(root, file), 'utf8') };
}

async function openSpace(page: Page, name: string) {
  await page.goto('/files');
  await page.getByRole('link', { name }).click();
  await expect(filesPage(page).heading).toHaveText(name);
  await expect(filesPage(page).entry('report.txt')).toBeVisible();
}

/** A local report.txt with these bytes, picked with "Upload files". */
async function pickReport(page: Page, bytes: string) {
  const file = path.join(tempDir('courier-conflict-'), 'report.txt');
  writeText(file, bytes);
  await filesPage(page).filesInput.setInputFiles(file);
}

const conflictDialog = (page: Page, name: string) => page.getByRole('dialog', { name: `${name} already exists` });

test('a manager uploading over report.txt is asked: replace, keep both and skip each do what they say on disk', async ({ page }) => {
  test.setTimeout(90_000);
  const admin = await logInByApi(page);
  const { space, root, onDisk } = await spaceWithFiles(page, admin, `Conflicts ${randomUUID().slice(0, 8)}`);
  await openSpace(page, space.name);
  const files = filesPage(page);

  await pickReport(page, 'replaced bytes');
  let dialog = conflictDialog(page, 'report.txt');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Keep both uploads yours as report (1).txt');
  await dialog.getByRole('button', { name: 'Replace' }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(() => onDisk('report.txt'), { timeout: 20_000 }).toBe('replaced bytes');

  await pickReport(page, 'second copy');
  dialog = conflictDialog(page, 'report.txt');
  await dialog.getByRole('button', { name: 'Keep both' }).click();
  await expect(files.entry('report (1).txt')).toBeVisible({ timeout: 20_000 });
  expect(onDisk('report (1).txt')).toBe('second copy');
  expect(onDisk('report.txt')).toBe('replaced bytes');

  await pickReport(page, 'never lands');
  dialog = conflictDialog(page, 'report.txt');
  await dialog.getByRole('button', { name: 'Skip' }).click();
  await expect(page.getByText('Nothing was uploaded')).toBeVisible();
  expect(onDisk('report.txt')).toBe('replaced bytes');
  expect(readdirSync(root).sort()).toEqual(['Photos', 'report (1).txt', 'report.txt']);
});

test('a contributor is not offered Replace and is told why; a dropped folder that exists is a conflict, kept beside it for all', async ({
  browser,
  page,
}) => {
  test.setTimeout(90_000);
  const admin = await logInByApi(page);
  const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
  const username = `contrib${suffix}`;
  const password = 'contrib-Passw0rd!';
  const user = await admin.post<{ id: string }>('/api/users', { username, displayName: 'Cora Contributor', password });
  const { space, root, onDisk } = await spaceWithFiles(page, admin, `Team ${suffix}`);
  await admin.put(`/api/spaces/${space.id}/members`, { principalType: 'user', principalId: user.id, role: 'contributor' });

  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const contributorPage = await context.newPage();
  await logInByApi(contributorPage, { username, password });
  await openSpace(contributorPage, space.name);
  const files = filesPage(contributorPage);

  const local = tempDir('courier-photos-');
  writeText(path.join(local, 'Photos', 'b.jpg'), 'new photo');
  await files.folderInput.setInputFiles(path.join(local, 'Photos'));
  let dialog = conflictDialog(contributorPage, 'Photos');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Replace' })).toHaveCount(0);
  await expect(dialog).toContainText('Only a manager of this space may replace');
  await dialog.getByRole('button', { name: 'Keep both' }).click();
  await expect(files.entry('Photos (1)')).toBeVisible({ timeout: 20_000 });
  expect(onDisk('Photos (1)/b.jpg')).toBe('new photo');
  expect(existsSync(path.join(root, 'Photos', 'b.jpg'))).toBe(false);

  // Dropped files, one decision for all of them.
  writeFileSync(path.join(root, 'notes.txt'), 'their notes');
  const dataTransfer = await contributorPage.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['my report'], 'report.txt'));
    dt.items.add(new File(['my notes'], 'notes.txt'));
    return dt;
  });
  const zone = contributorPage.locator('section.courier-files');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
  dialog = conflictDialog(contributorPage, 'report.txt');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Replace' })).toHaveCount(0);
  await dialog.getByText('Do this for the 1 other conflict too').click();
  await dialog.getByRole('button', { name: 'Keep both' }).click();
  await expect(files.entry('notes (1).txt')).toBeVisible({ timeout: 20_000 });
  await expect(conflictDialog(contributorPage, 'notes.txt')).toHaveCount(0);
  expect(onDisk('report.txt')).toBe('original');
  expect(onDisk('report (1).txt')).toBe('my report');
  expect(onDisk('notes.txt')).toBe('their notes');
  expect(onDisk('notes (1).txt')).toBe('my notes');
  await context.close();
});

test('files picked in Desktop are asked about too: Desktop gets the free name for keep both, the same name and "always" for replace', async ({
  page,
}) => {
  await installFakeAsperaSdk(page, ASPERA_SDK_URL, {
    status: 'RUNNING',
    stepMs: 300,
    progressSteps: 2,
    dialogFiles: [{ name: '/home/e2e/report.txt', size: 8, type: 'text/plain', lastModified: Date.now() }],
  });
  const admin = await logInByApi(page);
  const rootPath = `/e2e-desktop-conflicts-${randomUUID().slice(0, 8)}`;
  mkdirSync(docroot(rootPath), { recursive: true });
  writeFileSync(docroot(rootPath, 'report.txt'), 'original');
  const space = await spaceOnHstsNode(admin, rootPath);
  await openSpace(page, space.name);
  await expect(page.getByText('IBM Aspera for Desktop is running.')).toBeVisible();
  const handedToDesktop = () =>
    page.evaluate(() =>
      (
        window as unknown as { __fakeAsperaSdk: { started: { spec: { paths: unknown[]; overwrite?: string } }[] } }
      ).__fakeAsperaSdk.started.map((s) => ({ paths: s.spec.paths, overwrite: s.spec.overwrite })),
    );

  await filesPage(page).uploadFiles.click();
  await conflictDialog(page, 'report.txt').getByRole('button', { name: 'Keep both' }).click();
  await expect.poll(async () => (await handedToDesktop()).length).toBe(1);
  expect(await handedToDesktop()).toEqual([
    { paths: [{ source: '/home/e2e/report.txt', destination: 'report (1).txt' }], overwrite: 'never' },
  ]);

  await filesPage(page).uploadFiles.click();
  await conflictDialog(page, 'report.txt').getByRole('button', { name: 'Replace' }).click();
  await expect.poll(async () => (await handedToDesktop()).length).toBe(2);
  expect((await handedToDesktop())[1]).toEqual({
    paths: [{ source: '/home/e2e/report.txt', destination: 'report.txt' }],
    overwrite: 'always',
  });
});
