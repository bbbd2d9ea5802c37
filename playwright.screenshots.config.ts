import { defineConfig } from '@playwright/test';
import base from './playwright.config';
import { MAIN_SERVER } from './e2e/support/servers';

/**
 * `npm run screenshots`: the README's pictures (docs/screenshots/*.png), taken by
 * scripts/screenshots/readme.spec.ts against the same build and embedded node as the e2e suite,
 * with no SDK URL, as `npm start` runs on a fresh machine. Not part of `npm test`.
 */
const servers = Array.isArray(base.webServer) ? base.webServer : [];
const [main] = servers;
if (!main) throw new Error('playwright.config.ts names the main portal first');
const { COURIER_ASPERA_SDK_URL: _sdk, ...env } = main.env ?? {};

export default defineConfig({
  ...base,
  testDir: 'scripts/screenshots',
  workers: 1,
  webServer: [{ ...main, env }],
  projects: [{ name: 'screenshots', use: { baseURL: `http://127.0.0.1:${MAIN_SERVER.port}`, viewport: { width: 1280, height: 800 } } }],
});
