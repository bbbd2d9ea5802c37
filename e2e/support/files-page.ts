import { expect, type Page } from '@playwright/test';

/** The folder view's parts, found the way a user finds them. */
export function filesPage(page: Page) {
  const grid = page.getByRole('grid');
  return {
    grid,
    heading: page.getByRole('heading', { level: 1 }),
    uploadFiles: page.getByRole('button', { name: 'Upload files' }),
    uploadFolder: page.getByRole('button', { name: 'Upload folder' }),
    newFolder: page.getByRole('button', { name: 'New folder' }),
    download: page.getByRole('button', { name: 'Download' }),
    delete: page.getByRole('button', { name: 'Delete' }),
    filesInput: page.getByTestId('upload-files-input'),
    folderInput: page.getByTestId('upload-folder-input'),
    dropTarget: page.getByText(/^Drop to upload to /),
    /** The name cell of an entry (the checkbox cell is named "Select …"). */
    entry: (name: string) => grid.getByRole('gridcell', { name, exact: true }),
    /** Selects one more entry, as a click on its checkbox does. */
    select: (name: string) => grid.getByRole('checkbox', { name: `Select ${name}`, exact: true }).check(),
    row: (name: string) => grid.getByRole('row').filter({ has: page.getByRole('gridcell', { name, exact: true }) }),
  };
}

export async function createFolder(page: Page, name: string): Promise<void> {
  const files = filesPage(page);
  await files.newFolder.click();
  const dialog = page.getByRole('dialog', { name: 'New folder' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await expect(files.entry(name)).toBeVisible();
}

export async function openFolder(page: Page, name: string): Promise<void> {
  await filesPage(page).entry(name).getByRole('button', { name }).click();
  await expect(filesPage(page).heading).toHaveText(name);
}

/**
 * Slows uploads in this page so progress can be seen between 0 and 100% (on loopback a 50 MB
 * upload is otherwise over in a blink). Chromium's throttling covers request bodies.
 */
export async function throttleUploads(page: Page, bytesPerSecond: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
}

/** The transfers page's row for one transfer, by its title (not the tray's copy of it). */
export function transferRow(page: Page, title: string | RegExp, list = page.getByRole('list', { name: 'Transfers', exact: true })) {
  const row = list.getByRole('listitem').filter({ has: page.getByText(title, { exact: typeof title === 'string' }) });
  return {
    row,
    progress: row.getByRole('progressbar'),
    status: row.locator('.courier-transfer__status'),
    // Exact: other buttons' names hold the title, and a title may hold the word "Cancel".
    cancel: row.getByRole('button', { name: 'Cancel', exact: true }),
    /** Its files, once "Show files" opened them: one table row per file. */
    files: row.getByRole('table'),
  };
}

/** The tray lists this transfer (it replaced the Files page's "Upload started" banner); left folded. */
export async function expectInTray(page: Page, title: string | RegExp): Promise<void> {
  const tray = transferTray(page);
  await tray.toggle.click();
  await expect(tray.row(title).row).toBeVisible();
  await tray.toggle.click();
  await expect(tray.list).toBeHidden();
}

/** The Transfers page's one line saying which client carries transfers, and why. */
export function clientLine(page: Page) {
  return page.getByRole('main').getByText(/^(HTTP Gateway|IBM Aspera for Desktop) — /);
}

/** The transfer tray at the page's corner: its one-line summary (a button) and, expanded, its rows. */
export function transferTray(page: Page) {
  const tray = page.getByRole('complementary', { name: 'Transfer tray' });
  const list = tray.getByRole('list', { name: 'Running and recent transfers' });
  return {
    tray,
    toggle: tray.getByRole('button', { name: /^Transfers: / }),
    list,
    row: (title: string | RegExp) => transferRow(page, title, list),
  };
}
