/**
 * Headless Debian Chromium for the benchmarks that measure what a user's browser does, started
 * with the same flags as the e2e suite, plus the built SPA they load and a logged-in page.
 */
import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { CourierProcess } from './processes';
import { REPO_ROOT } from '../../test-kit/courier-process';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** `courier build`: builds dist/spa when its sources changed (startCourier runs with --no-build). */
export function buildSpa(): void {
  execFileSync(process.execPath, ['bin/courier.mjs', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
}

/** A fresh context (own cookies, downloads accepted) logged in as the portal's admin through the login form. */
export async function loggedInPage(browser: Browser, courier: CourierProcess): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: courier.url, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(courier.adminPassword);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Files' }).waitFor({ timeout: 60_000 });
  return { context, page };
}
