/**
 * A chunked upload (docs/http-gateway.md §11) cut by the network mid-way: Retry asks the node what
 * it holds and sends only the rest, and the file lands identical. The bytes are counted where they
 * reach the node: the cable between the page and the node (support/network-cable.ts), the node's
 * only connection from the page. (The node's transfer record cannot count them: a session's
 * completed attempt reports every byte the file holds, docs/http-gateway.md §11.)
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { DEFAULT_SESSION_TUNING } from '../src/transfer-clients/http-gateway/http-gateway-client';
import { docroot } from './support/docroot';
import { createFolder, expectInTray, filesPage, openFolder, throttleUploads, transferRow } from './support/files-page';
import { sha256File, tempDir, writeRandomFile } from './support/local-files';
import { test } from './support/network-cable';
import { logInByApi } from './support/portal-api';

const MB = 1024 * 1024;
const PART_BYTES = DEFAULT_SESSION_TUNING.partSize;

// The relay listens on a port the portal's CSP does not name (see offline.spec.ts).
test.use({ bypassCSP: true });

async function openNewFolder(page: Page, prefix: string): Promise<string> {
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  const folder = `${prefix} ${randomUUID().slice(0, 8)}`;
  await createFolder(page, folder);
  await openFolder(page, folder);
  return folder;
}

test('an upload cut mid-way is retried by sending only what the node does not hold', async ({ page, cable }) => {
  test.setTimeout(120_000);
  await logInByApi(page);
  const folder = await openNewFolder(page, 'Resumable');
  const name = 'parts.bin';
  const source = path.join(tempDir('courier-resumable-'), name);
  // Over two parts' worth, so that half of it held is more than a part (the bound below then tells
  // a retry of the missing bytes from one that sends everything again).
  const size = 80 * MB;
  writeRandomFile(source, size);
  // The session's address, from the parts the page sends: the test asks the node what it holds.
  let session: string | undefined;
  page.on('request', (request) => {
    const match = /^(.*\/v3\/upload-sessions\/[\w-]{43})\/files\/\d+$/.exec(request.url());
    if (match && request.method() === 'PATCH') session = match[1];
  });
  await throttleUploads(page, 4 * MB);
  await filesPage(page).filesInput.setInputFiles(source);
  const title = `${name} to ${folder}`;
  await expectInTray(page, title);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transfers' }).click();
  const transfer = transferRow(page, title);
  await expect(async () => {
    expect(Number(await transfer.progress.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(50);
  }).toPass({ timeout: 30_000 });
  await cable.pull();
  await expect(transfer.status).toHaveText('Failed', { timeout: 10_000 });
  await expect(transfer.row).toContainText('Retry continues where it stopped.');
  await cable.plugIn();
  await throttleUploads(page, -1);

  expect(session, 'the upload went through a session').toBeDefined();
  const status = (await (await fetch(session as string)).json()) as { files: { received: [number, number][] }[] };
  const held = (status.files[0]?.received ?? []).reduce((sum, [start, end]) => sum + end - start, 0);
  const missing = size - held;
  // Over a part held: a retry that sent everything again would fail the bound below.
  expect(held, 'the node kept what arrived before the cut').toBeGreaterThan(PART_BYTES);
  expect(missing).toBeGreaterThan(0);

  const before = cable.bytesToNode();
  await page.getByRole('button', { name: `Retry ${title}` }).click();
  await expect(transfer.row).toHaveCount(1);
  await expect(transfer.status).toHaveText('Completed', { timeout: 60_000 });
  const sent = cable.bytesToNode() - before;
  expect(sent, 'the retry sent every missing byte').toBeGreaterThanOrEqual(missing);
  expect(sent, 'and less than one part more').toBeLessThan(missing + PART_BYTES);
  expect(readdirSync(docroot('home', 'admin', folder))).toEqual([name]);
  expect(await sha256File(docroot('home', 'admin', folder, name))).toBe(await sha256File(source));
});

test('after a reload mid-upload, Resume with the same file picked again lands it; a changed file is refused', async ({ page }) => {
  test.setTimeout(120_000);
  await logInByApi(page);
  const folder = await openNewFolder(page, 'Reloaded');
  const name = 'reload.bin';
  const source = path.join(tempDir('courier-reload-'), name);
  writeRandomFile(source, 50 * MB);
  // The same name and size, other bytes and a later modification time: the file edited meanwhile.
  const changed = path.join(tempDir('courier-reload-changed-'), name);
  writeRandomFile(changed, 50 * MB);
  const later = new Date(Date.now() + 60_000);
  utimesSync(changed, later, later);
  await throttleUploads(page, 4 * MB);
  await filesPage(page).filesInput.setInputFiles(source);
  const title = `${name} to ${folder}`;
  await expectInTray(page, title);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transfers' }).click();
  const transfer = transferRow(page, title);
  await expect(async () => {
    expect(Number(await transfer.progress.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(30);
  }).toPass({ timeout: 30_000 });

  await page.reload();
  await throttleUploads(page, -1);
  await expect(transfer.status).toHaveText('Failed', { timeout: 20_000 });
  await expect(transfer.row).toContainText('Resume asks you to choose the same files again, and continues where it stopped.');
  const resume = page.getByRole('button', { name: `Resume ${title}` });

  const [wrongPick] = await Promise.all([page.waitForEvent('filechooser'), resume.click()]);
  await wrongPick.setFiles(changed);
  await expect(page.getByText(/reload\.bin changed since the upload started/)).toBeVisible();
  await expect(transfer.status).toHaveText('Failed');
  // Refused before a byte of it was sent: nothing under the final name, the session still resumable.
  expect(readdirSync(docroot('home', 'admin', folder))).toEqual([]);

  const [rightPick] = await Promise.all([page.waitForEvent('filechooser'), resume.click()]);
  await rightPick.setFiles(source);
  await expect(transfer.status).toHaveText('Completed', { timeout: 60_000 });
  expect(readdirSync(docroot('home', 'admin', folder))).toEqual([name]);
  expect(await sha256File(docroot('home', 'admin', folder, name))).toBe(await sha256File(source));
});
