/**
 * Entry point of the portal: `startPortal` opens and migrates the database, makes sure the `admin`
 * account exists, loads the key that seals node secrets, builds the app (app.ts) and listens. The
 * composition root (launcher/) and the tests that run the whole portal only call this, as they call
 * transfer-node/index.ts for the node.
 */
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { AddressInfo } from 'node:net';
import { buildApp, type AppOptions } from './app';
import type { Config } from './config';
import { openDatabase, type Db, type Dialect } from './db/database';
import { ensureAdminAccount } from './features/auth/bootstrap-admin';
import { createUsersRepository } from './features/auth/users-repository';
import { loadOrCreatePortalSecretKey } from './lib/portal-secret-key';

export { LOG_REDACTIONS } from './app';
export { ConfigError, loadConfig, portalOrigin, type Config } from './config';

export interface PortalOptions {
  config: Config;
  /** Built SPA folder; absent when only the API is served. */
  spaDir?: string;
  logger?: FastifyServerOptions['logger'];
  /** The embedded node to register (or update) at start, when one runs. */
  embeddedNode?: AppOptions['embeddedNode'];
  /** How often transfers are followed on their nodes (ms); default in the tracker. */
  trackerIntervalMs?: number;
}

export interface Portal {
  app: FastifyInstance;
  db: Db;
  dialect: Dialect;
  /** The port listened on (the real one when `config.port` is 0). */
  port: number;
  /** What the first start did about the `admin` account; `generatedPassword` is shown once, then only its hash is kept. */
  admin: { created: boolean; generatedPassword?: string };
  /** Stops accepting, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

export async function startPortal(options: PortalOptions): Promise<Portal> {
  const { config } = options;
  const { db, dialect } = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const admin = await ensureAdminAccount(createUsersRepository(db), config.adminPassword);
    const app = await buildApp({
      config,
      db,
      spaDir: options.spaDir,
      logger: options.logger,
      secretKey: loadOrCreatePortalSecretKey(config.dataDir, config.secretKey),
      embeddedNode: options.embeddedNode,
      trackerIntervalMs: options.trackerIntervalMs,
    });
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (error) {
      await app.close();
      throw error;
    }
    let closing: Promise<void> | undefined;
    return {
      app,
      db,
      dialect,
      port: (app.server.address() as AddressInfo).port,
      admin,
      close: () =>
        (closing ??= (async () => {
          await app.close();
          await db.destroy();
        })()),
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
