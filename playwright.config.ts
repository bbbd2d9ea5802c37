import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { ADMIN_PASSWORD, ASPERA_SDK_URL, EXPIRY_SERVER, MAIN_SERVER, SMTP_SINK } from './e2e/support/servers';

// A fresh data directory (database, docroot, secrets) per run. Playwright loads this file again
// in every worker process; the environment carries the main process's choice to them.
process.env.COURIER_E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'courier-e2e-'));
process.env.COURIER_E2E_EXPIRY_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'courier-e2e-expiry-'));
// Where the suite's SMTP server writes the mail the main portal sends (e2e/support/mailbox.ts reads it).
process.env.COURIER_E2E_MAIL_DIR ??= mkdtempSync(path.join(tmpdir(), 'courier-e2e-mail-'));

const isCI = Boolean(process.env.CI);

// Browsers are not downloaded: Debian's Chromium, or the one CHROMIUM_PATH names.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

function portal(server: { port: number; nodePort: number }, dataDir: string, extraEnv: Record<string, string>, command: string) {
  return {
    command,
    url: `http://127.0.0.1:${server.port}/api/health`,
    // Always our own server: one left running by a developer would have other data and passwords.
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: {
      COURIER_PORT: String(server.port),
      COURIER_NODE_PORT: String(server.nodePort),
      COURIER_DATA_DIR: dataDir,
      COURIER_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...extraEnv,
    },
  };
}

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  forbidOnly: isCI,
  workers: 2,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: isCI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    browserName: 'chromium',
    launchOptions: chromium,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
  },
  webServer: [
    // A real SMTP server first, so the main portal's mail worker finds it from its first message.
    {
      command: 'npx tsx e2e/support/mail-sink.ts',
      port: SMTP_SINK.port,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
      env: { COURIER_E2E_MAIL_DIR: process.env.COURIER_E2E_MAIL_DIR, COURIER_E2E_SMTP_PORT: String(SMTP_SINK.port) },
    },
    // The first one builds the SPA; the second serves the same build. The first offers Desktop
    // (an SDK URL) so specs can serve the fake SDK there; without it the SPA uses the gateway.
    portal(
      MAIN_SERVER,
      process.env.COURIER_E2E_DATA_DIR,
      { COURIER_ASPERA_SDK_URL: ASPERA_SDK_URL, COURIER_SMTP_URL: `smtp://127.0.0.1:${SMTP_SINK.port}` },
      'node bin/courier.mjs start',
    ),
    portal(
      EXPIRY_SERVER,
      process.env.COURIER_E2E_EXPIRY_DATA_DIR,
      { COURIER_SESSION_IDLE_TIMEOUT_SECONDS: String(EXPIRY_SERVER.idleTimeoutSeconds) },
      'node bin/courier.mjs start --no-build',
    ),
  ],
  projects: [
    {
      name: 'portal',
      testIgnore: /session-expiry\.spec\.ts/,
      use: { baseURL: `http://127.0.0.1:${MAIN_SERVER.port}` },
    },
    {
      name: 'session-expiry',
      testMatch: /session-expiry\.spec\.ts/,
      use: { baseURL: `http://127.0.0.1:${EXPIRY_SERVER.port}` },
    },
  ],
});
