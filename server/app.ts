import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { portalOrigin, type Config } from './config';
import type { Db } from './db/database';
import { registerAuth } from './features/auth/auth-plugin';
import { createAuthService } from './features/auth/auth-service';
import { createLoginThrottle } from './features/auth/login-throttle';
import { sessionRoutes } from './features/auth/session-routes';
import { createSessionsRepository } from './features/auth/sessions-repository';
import { createUsersRepository } from './features/auth/users-repository';
import { healthRoutes } from './features/health/health-routes';
import { zodSerializerCompiler, zodValidatorCompiler } from './lib/zod-type-provider';
import { registerErrorHandler } from './plugins/error-handler';
import { registerJsonBodyParser } from './plugins/json-body';
import { registerSecurityHeaders } from './plugins/security-headers';
import { registerSpa } from './plugins/spa';

export interface AppOptions {
  config: Config;
  db: Db;
  /** Built SPA folder; absent in API-only tests. */
  spaDir?: string;
  /** Nodes whose reachability /api/health reports. */
  healthNodes?: () => Promise<Array<{ name: string; url: string }>>;
  /** Origins the SPA may connect to besides its own (transfer nodes' HTTP Gateways), for the CSP. */
  connectOrigins?: string[];
  logger?: FastifyServerOptions['logger'];
}

// API bodies are small JSON documents; a transfer request listing 20,000 files stays well inside 4 MiB.
export const API_BODY_LIMIT = 4 * 1024 * 1024;

export const LOG_REDACTIONS = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'];

/** The portal as one Fastify instance; the launcher only builds it and listens. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, db } = options;
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel, redact: LOG_REDACTIONS },
    trustProxy: config.trustProxy,
    bodyLimit: API_BODY_LIMIT,
    requestIdHeader: false,
    return503OnClosing: true,
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(zodSerializerCompiler);
  registerErrorHandler(app, API_BODY_LIMIT);
  registerJsonBodyParser(app);
  await app.register(fastifyCookie);

  const origin = portalOrigin(config);
  const secureCookies = origin.startsWith('https:');
  registerSecurityHeaders(app);

  const users = createUsersRepository(db);
  const auth = createAuthService({
    users,
    sessions: createSessionsRepository(db),
    throttle: createLoginThrottle(db, {
      maxFailuresPerAccount: config.loginMaxFailuresPerAccount,
      maxFailuresPerIp: config.loginMaxFailuresPerIp,
      windowSeconds: config.loginWindowSeconds,
    }),
    idleTimeoutSeconds: config.sessionIdleTimeoutSeconds,
    absoluteTimeoutSeconds: config.sessionAbsoluteTimeoutSeconds,
  });
  registerAuth(app, { auth, publicOrigin: origin, secureCookies });

  await app.register(sessionRoutes, { auth, secureCookies, absoluteTimeoutSeconds: config.sessionAbsoluteTimeoutSeconds });
  await app.register(healthRoutes, { db, nodes: options.healthNodes ?? (async () => []) });
  if (options.spaDir) await registerSpa(app, options.spaDir, contentSecurityPolicy(options.connectOrigins ?? []));

  const purge = setInterval(() => void auth.purgeEnded().catch((err: unknown) => app.log.warn({ err }, 'session purge failed')), 3_600_000);
  purge.unref();
  app.addHook('onClose', async () => clearInterval(purge));
  return app;
}

function contentSecurityPolicy(connectOrigins: string[]): string {
  const connect = ["'self'", ...connectOrigins].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Carbon sets inline style attributes (positions of menus and tooltips).
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}
