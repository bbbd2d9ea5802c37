import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import path from 'node:path';
import { createFolder, filesPage, openFolder, transferTray } from './support/files-page';
import { tempDir, writeText } from './support/local-files';
import { shell } from './support/pages';
import { logInByApi } from './support/portal-api';

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`in the ${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test('the login page has no axe violations', async ({ page }) => {
      await page.goto('/login');
      await expect(page.getByRole('heading', { name: 'Log in to Courier' })).toBeVisible();
      await expectNoViolations(page, 'login');
      await page.getByRole('button', { name: /log in/i }).click();
      await expect(page.getByText(/enter your username/i).first()).toBeVisible();
      await expectNoViolations(page, 'login with errors');
    });

    test('the files, folder, dialogs, transfers and not-found screens have no axe violations', async ({ page }) => {
      await logInByApi(page);
      await page.goto('/files');
      await expect(shell(page).heading).toHaveText('Files');
      await expectNoViolations(page, 'spaces');

      await page.getByRole('link', { name: 'My files' }).click();
      const files = filesPage(page);
      const name = `A11y ${colorScheme} ${randomUUID().slice(0, 8)}`;
      await createFolder(page, name);
      await openFolder(page, name);
      await createFolder(page, 'inside');
      await expectNoViolations(page, 'a folder');

      await files.select('inside');
      await files.delete.click();
      await expect(page.getByRole('dialog', { name: /Delete/ })).toBeVisible();
      await expectNoViolations(page, 'the delete dialog');
      await page
        .getByRole('dialog', { name: /Delete/ })
        .getByRole('button', { name: 'Cancel' })
        .click();

      // An upload (the tray), then the same name again (the conflict dialog).
      const local = path.join(tempDir('courier-a11y-'), 'notes.txt');
      writeText(local, 'first\n');
      await files.filesInput.setInputFiles(local);
      await expect(files.entry('notes.txt')).toBeVisible({ timeout: 15_000 });
      const tray = transferTray(page);
      await tray.toggle.click();
      await expect(tray.list).toBeVisible();
      await expectNoViolations(page, 'the transfer tray, expanded');
      await tray.toggle.click();
      await files.filesInput.setInputFiles(local);
      const conflict = page.getByRole('dialog', { name: 'notes.txt already exists' });
      await expect(conflict).toBeVisible();
      await expectNoViolations(page, 'the name conflict dialog');
      await conflict.getByRole('button', { name: 'Skip' }).click();

      await shell(page).userMenu.click();
      await expectNoViolations(page, 'the user menu');
      await page.keyboard.press('Escape');

      await page.goto('/transfers');
      await expect(shell(page).heading).toHaveText('Transfers');
      await expectNoViolations(page, 'transfers');

      await page.goto('/no-such-page');
      await expect(page.getByRole('heading', { name: /not found/i })).toBeVisible();
      await expectNoViolations(page, 'not found');
    });
  });
}
