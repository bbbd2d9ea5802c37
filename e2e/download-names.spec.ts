import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createFolder, filesPage, openFolder } from './support/files-page';
import { logInByApi } from './support/portal-api';
import { tempDir, writeText } from './support/local-files';

/** Records the names the page hands the browser's save (`<a download>` clicks), from its first script. */
async function recordHandedNames(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const w = window as unknown as { __handedNames: string[] };
    w.__handedNames = [];
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      if (this.hasAttribute('download')) w.__handedNames.push(this.download);
      click.call(this);
    };
  });
  return () => page.evaluate(() => (window as unknown as { __handedNames: string[] }).__handedNames);
}

/** The name the browser saves a download under, after a click on Download with `names` selected. */
async function savedName(page: Page, names: string[]): Promise<string> {
  const files = filesPage(page);
  for (const box of await files.grid.getByRole('checkbox', { checked: true }).all()) await box.uncheck();
  for (const name of names) await files.select(name);
  const [download] = await Promise.all([page.waitForEvent('download'), files.download.click()]);
  // Saved whole: a name on a download that then failed would prove nothing.
  expect(await download.failure()).toBeNull();
  return download.suggestedFilename();
}

test('downloads are saved under the names of what was downloaded: the file, <folder>.zip, <space> <day>.zip, Unicode and punctuation kept', async ({
  page,
}) => {
  const handed = await recordHandedNames(page);
  await logInByApi(page);
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  const files = filesPage(page);
  await expect(files.heading).toHaveText('My files');
  const parent = `Names ${randomUUID().slice(0, 8)}`;
  await createFolder(page, parent);
  await openFolder(page, parent);

  const folder = 'Données été';
  await createFolder(page, folder);
  const fileName = 'été "q".dat';
  const local = path.join(tempDir('courier-names-'), fileName);
  writeText(local, 'quoted and accented\n');
  await files.filesInput.setInputFiles(local);
  await expect(files.entry(fileName)).toBeVisible({ timeout: 15_000 });

  // The page hands the browser the exact name; Chromium itself then replaces `"` (a character it
  // refuses in file names on every platform) and nothing else: the accents stay (before: `ete _q_.dat`).
  const saved = await savedName(page, [fileName]);
  expect(await handed()).toEqual([fileName]);
  expect(saved).toBe('été _q_.dat');
  expect(await savedName(page, [folder])).toBe(`${folder}.zip`);
  // The portal names a selection after the space and its (UTC) day.
  const day = new Date().toISOString().slice(0, 10);
  expect(await savedName(page, [folder, fileName])).toBe(`My files ${day}.zip`);
  expect(await handed()).toEqual([fileName, `${folder}.zip`, `My files ${day}.zip`]);
});
