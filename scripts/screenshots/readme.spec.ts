import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { docroot } from '../../e2e/support/docroot';
import { filesPage, throttleUploads, transferTray } from '../../e2e/support/files-page';
import { tempDir, writeRandomFile, writeText } from '../../e2e/support/local-files';
import { logInByApi } from '../../e2e/support/portal-api';

const MB = 1024 * 1024;
const shot = (name: string) => path.join('docs', 'screenshots', `${name}.png`);

test('the README screenshots: files, the tray expanded, a name conflict', async ({ page }) => {
  test.setTimeout(120_000);
  const admin = await logInByApi(page);
  // A space that looks like a team's: a few folders and files with their sizes.
  const rootPath = `/Design review ${randomUUID().slice(0, 4)}`;
  const root = docroot(rootPath);
  for (const folder of ['Brand assets', 'Footage 2026-11', 'Renders']) mkdirSync(path.join(root, folder), { recursive: true });
  writeRandomFile(path.join(root, 'keynote-final.mov'), 24 * MB);
  writeRandomFile(path.join(root, 'storyboard.pdf'), 3 * MB);
  writeFileSync(path.join(root, 'brief.txt'), 'Deliver the cut by Friday.\n');
  const space = await admin.post<{ id: string; name: string }>('/api/spaces', { name: 'Design review', rootPath });

  await page.goto(`/files/${space.id}`);
  const files = filesPage(page);
  await expect(files.entry('storyboard.pdf')).toBeVisible();
  await files.select('storyboard.pdf');
  await page.screenshot({ path: shot('files') });

  // An upload in flight, the tray opened over the Files page.
  const local = tempDir('courier-shots-');
  const source = path.join(local, 'interview-take-3.mxf');
  writeRandomFile(source, 60 * MB);
  await throttleUploads(page, 4 * MB);
  await files.filesInput.setInputFiles(source);
  const tray = transferTray(page);
  await tray.toggle.click();
  await expect(tray.list.getByRole('progressbar').first()).toBeVisible();
  await page.waitForTimeout(3_000); // some progress and a rate to show
  await page.screenshot({ path: shot('tray') });
  await tray.toggle.click();

  // The same name again: Courier asks.
  const again = path.join(local, 'brief.txt');
  writeText(again, 'A newer brief.\n');
  await files.filesInput.setInputFiles(again);
  const dialog = page.getByRole('dialog', { name: 'brief.txt already exists' });
  await expect(dialog).toBeVisible();
  await page.screenshot({ path: shot('conflict') });
  await dialog.getByRole('button', { name: 'Skip' }).click();
});
