/**
 * For Playwright specs: serve the fake SDK at the URL Courier's settings name for the SDK bundle,
 * with its options, before the page loads. The page then drives it like the real bundle, and the
 * spec can reach it as `window.__fakeAsperaSdk` (e.g. `.setStatus('DISCONNECTED')`).
 */
import type { Page } from '@playwright/test';
import { buildFakeAsperaSdkScript } from './build-fake-aspera-sdk';
import type { FakeAsperaSdkOptions } from './fake-aspera-sdk';

let script: Promise<string> | undefined;

export async function installFakeAsperaSdk(page: Page, sdkUrl: string, options: FakeAsperaSdkOptions = {}): Promise<void> {
  script ??= buildFakeAsperaSdkScript();
  const body = await script;
  await page.addInitScript((o) => {
    (window as unknown as { __fakeAsperaSdkOptions: unknown }).__fakeAsperaSdkOptions = o;
  }, options);
  await page.route(sdkUrl, (route) => route.fulfill({ status: 200, body, contentType: 'text/javascript' }));
}
