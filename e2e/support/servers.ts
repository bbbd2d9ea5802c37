/**
 * The portals the end-to-end suite starts (playwright.config.ts) and talks to (the specs).
 * Ports sit away from the defaults (8080, 9092) so a running dev portal does not collide.
 */
export const ADMIN_USERNAME = 'admin';
export const ADMIN_PASSWORD = 'e2e-admin-Passw0rd!';

export const MAIN_SERVER = { port: 18080, nodePort: 19092 } as const;

/** A second portal whose sessions go idle after a few seconds, for the session-expiry specs. */
export const EXPIRY_SERVER = { port: 18081, nodePort: 19093, idleTimeoutSeconds: 3 } as const;
