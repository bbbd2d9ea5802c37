/**
 * The portals the end-to-end suite starts (playwright.config.ts) and talks to (the specs).
 * Ports sit away from the defaults (8080, 9092) so a running dev portal does not collide.
 */
export const ADMIN_USERNAME = 'admin';
export const ADMIN_PASSWORD = 'e2e-admin-Passw0rd!';

// COURIER_E2E_PORT_BASE moves all four ports together, so two runs on one machine (two
// checkouts, or a developer's run beside CI's) do not collide. Default 18000: 18080, 19092…
const PORT_BASE = Number(process.env.COURIER_E2E_PORT_BASE ?? 18000);

export const MAIN_SERVER = { port: PORT_BASE + 80, nodePort: PORT_BASE + 1092 } as const;

/**
 * The suite's SMTP server (e2e/support/mail-sink.ts), to which the main portal sends its mail
 * (`COURIER_SMTP_URL`); what it receives is in `COURIER_E2E_MAIL_DIR` (e2e/support/mailbox.ts).
 */
export const SMTP_SINK = { port: PORT_BASE + 25 } as const;

/**
 * A second portal whose sessions go idle after a few seconds, for the session-expiry specs. Long
 * enough that the warning before the end (half the idle time, at this size) can be read and answered.
 */
export const EXPIRY_SERVER = {
  port: PORT_BASE + 81,
  nodePort: PORT_BASE + 1093,
  idleTimeoutSeconds: 8,
} as const;

/**
 * The IBM Aspera SDK bundle the main portal names (`COURIER_ASPERA_SDK_URL`). Nothing answers it
 * unless a spec serves the fake SDK there (installFakeAsperaSdk): elsewhere the load fails and
 * the SPA keeps to the HTTP Gateway, which is what the embedded node offers anyway.
 */
export const ASPERA_SDK_URL = 'https://sdk.courier.test/aspera-sdk.js';
