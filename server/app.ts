import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createHmac } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { CSRF_HEADER } from '../contract/session-header';
import { portalOrigin, readPortalTls, type Config } from './config';
import type { Db } from './db/database';
import { registerAuth } from './features/auth/auth-plugin';
import { createAuthService } from './features/auth/auth-service';
import { createLoginThrottle } from './features/auth/login-throttle';
import { createLoginThrottleRepository } from './features/auth/login-throttle-repository';
import { loginLocksRoutes } from './features/auth/login-locks-routes';
import { sessionRoutes } from './features/auth/session-routes';
import { createSessionsRepository } from './features/auth/sessions-repository';
import { createUsersRepository } from './features/auth/users-repository';
import { createAuditLog } from './features/audit/audit-log';
import { filesRoutes } from './features/files/files-routes';
import { createFilesService } from './features/files/files-service';
import { healthRoutes } from './features/health/health-routes';
import { createA3Access } from './features/nodes/a3-access';
import { createNodeClients } from './features/nodes/node-clients';
import { createNodesRepository } from './features/nodes/nodes-repository';
import { nodesRoutes } from './features/nodes/nodes-routes';
import { createNodesService } from './features/nodes/nodes-service';
import { createSpaceAccess } from './features/spaces/space-access';
import { createSpacesRepository } from './features/spaces/spaces-repository';
import { spacesRoutes } from './features/spaces/spaces-routes';
import { createSpacesService, type SpacesService } from './features/spaces/spaces-service';
import { createTransferFeed } from './features/transfers/transfer-feed';
import { createTransferTracker } from './features/transfers/transfer-tracker';
import { createIdempotencyKeys, IDEMPOTENCY_WINDOW_MS } from './features/transfers/idempotency-keys';
import { createTransfersRepository } from './features/transfers/transfers-repository';
import { transfersRoutes } from './features/transfers/transfers-routes';
import { copyRoutes } from './features/transfers/copy-routes';
import { createCopyService } from './features/transfers/copy-service';
import { createTransfersService } from './features/transfers/transfers-service';
import { createLeases, type Leases } from './features/leases/leases';
import { createChangeChannel } from './db/change-channel';
import { createGroupsRepository } from './features/users/groups-repository';
import { usersRoutes } from './features/users/users-routes';
import { createConcurrencyLimiter, type ConcurrencyLimiter } from './lib/concurrency-limiter';
import { createSecretBox } from './lib/secret-box';
import { zodSerializerCompiler, zodValidatorCompiler } from './lib/zod-type-provider';
import { registerErrorHandler } from './plugins/error-handler';
import { registerJsonBodyParser } from './plugins/json-body';
import { registerSecurityHeaders } from './plugins/security-headers';
import { contentSecurityPolicy } from './plugins/content-security-policy';
import { registerSpa } from './plugins/spa';
import { clientConfigRoutes } from './features/health/client-config-routes';
import { auditRoutes } from './features/audit/audit-routes';
import { createRuntimeSettings } from './features/settings/runtime-settings';
import { settingsRoutes } from './features/settings/settings-routes';
import { createProfileService } from './features/profile/profile-service';
import { profileRoutes } from './features/profile/profile-routes';
import { createApiTokensRepository } from './features/api-tokens/api-tokens-repository';
import { createApiTokensService } from './features/api-tokens/api-tokens-service';
import { apiTokensRoutes } from './features/api-tokens/api-tokens-routes';
import { collectApiRoutes } from './features/openapi/openapi-document';
import { openApiRoutes } from './features/openapi/openapi-routes';
import { createOidcService } from './features/oidc/oidc-service';
import { callbackPath, oidcProvidersOf, startPath } from './features/oidc/oidc-providers';
import { oidcRoutes } from './features/oidc/oidc-routes';
import { createRequestsRepository } from './features/requests/requests-repository';
import { requestsRoutes } from './features/requests/requests-routes';
import { createRequestsService } from './features/requests/requests-service';
import { createNotifier } from './features/notifications/create-notifier';
import { createMailDelivery } from './features/notifications/mail-delivery';
import { createMailQueue } from './features/notifications/mail-queue';
import { createMailWorker, MAIL_MAX_ATTEMPTS, type MailWorker } from './features/notifications/mail-worker';
import { mailAdminRoutes } from './features/notifications/mail-admin-routes';
import { createNotificationsRepository } from './features/notifications/notifications-repository';
import { notificationsRoutes } from './features/notifications/notifications-routes';
import type { Notifier } from './features/notifications/notifier';
import { createPublicSharesService } from './features/shares/public-shares-service';
import { createShareAccessCookies } from './features/shares/share-access-cookie';
import { createSharePasswordThrottle } from './features/shares/share-password-throttle';
import { sharesRoutes } from './features/shares/shares-routes';
import { createSharesRepository } from './features/shares/shares-repository';
import { createSharesService } from './features/shares/shares-service';
import { createPackagesRepository } from './features/packages/packages-repository';
import { packagesRoutes } from './features/packages/packages-routes';
import { createPackagesService } from './features/packages/packages-service';
import { createPublicPackagesService } from './features/packages/public-packages-service';
import { serializeRequest } from './lib/log-request';

declare module 'fastify' {
  interface FastifyInstance {
    /** Services the launcher and tests reach beyond HTTP: follow transfers now, register nodes. */
    courier: {
      tracker: ReturnType<typeof createTransferTracker>;
      nodes: ReturnType<typeof createNodesService>;
      /** Password hashing's bound, observable: hashes running, queued, refused, the peak. */
      loginHashing: Pick<ConcurrencyLimiter, 'stats'>;
      /** What other features tell people (issue 14): the bell and the mail queue. */
      notifier: Notifier;
      /** Delivers the mail queue; started when the app is ready, stopped before it closes. */
      mailWorker: MailWorker;
      /** Expires due packages now (docs/packages.md §4); runs every minute on its own. */
      expirePackages: () => Promise<number>;
      /** Once-only work across instances (docs/deployment.md §3): which this instance holds. */
      leases: Leases;
    };
  }
}

export interface AppOptions {
  config: Config;
  db: Db;
  /** Built SPA folder; absent in API-only tests. */
  spaDir?: string;
  /** Seals node secrets at rest (32 bytes). */
  secretKey: Buffer;
  /** The embedded node to register (or update) as a node at start, when it runs. */
  /** `verifyTls: false` when the in-process node serves the portal's certificate, which names the public host, not the loopback one. */
  embeddedNode?: { url: string; username: string; secret: string; gatewayUrl: string; verifyTls?: boolean };
  /** Nodes whose reachability /api/health reports; default: every registered node. */
  healthNodes?: () => Promise<Array<{ name: string; url: string; verifyTls?: boolean }>>;
  /** How often transfers are followed on their nodes (ms). */
  trackerIntervalMs?: number;
  /** How often the live transfer events re-read the database besides the change channel's announcements (ms). */
  feedIntervalMs?: number;
  /** Who tells people what happened (a submission arrived, a link downloaded); default: the notification service. */
  notifier?: Notifier;
  logger?: FastifyServerOptions['logger'];
}

const PACKAGE_VERSION = (JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string })
  .version;

// API bodies are small JSON documents; a transfer request listing 20,000 files stays well inside 4 MiB.
const PACKAGE_EXPIRY_INTERVAL_MS = 60_000;

export const API_BODY_LIMIT = 4 * 1024 * 1024;

export const LOG_REDACTIONS = [
  'req.headers.authorization',
  'req.headers.cookie',
  `req.headers["${CSRF_HEADER}"]`,
  'res.headers["set-cookie"]',
];

/** Whoever passes the logger's options (the launcher, a test), its request lines keep link secrets out. */
function withRequestSerializer(logger: NonNullable<AppOptions['logger']>): NonNullable<AppOptions['logger']> {
  if (typeof logger !== 'object') return logger;
  return { ...logger, serializers: { req: serializeRequest, ...logger.serializers } };
}

/** The portal as one Fastify instance; the launcher only builds it and listens. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, db } = options;
  // A client must send its whole request (headers and body) within the request timeout, or its
  // connection is closed: without it a few connections trickling a byte now and then held the
  // portal open indefinitely. It ends at the end of the request, so a long response (the transfer
  // event stream) is not cut; for the same reason no socket inactivity timeout (connectionTimeout)
  // is set: idle keep-alive sockets are already closed by Fastify's keepAliveTimeout (72 s).
  const requestTimeoutMs = config.requestTimeoutSeconds * 1000;
  const tls = readPortalTls(config);
  const app = Fastify({
    // COURIER_TLS_CERT/KEY: the portal serves HTTPS itself (README, "HTTPS"); a TLS handshake has
    // the same time as a request's headers, so a silent client cannot hold a socket longer.
    ...(tls ? { https: { ...tls, handshakeTimeout: requestTimeoutMs } } : {}),
    logger: withRequestSerializer(options.logger ?? { level: config.logLevel, redact: LOG_REDACTIONS }),
    // A hop count as Fastify's own function form (its types take no number): trust that many proxies.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    bodyLimit: API_BODY_LIMIT,
    requestIdHeader: false,
    return503OnClosing: true,
    requestTimeout: requestTimeoutMs,
    // Node checks these timeouts on a timer (every 30 s by default, which would let a 5 s timeout
    // run to 35 s); once a second costs a walk of the open connections.
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, requestTimeoutMs),
    },
  });
  app.server.maxConnections = config.maxConnections;
  // Before any route: /api/openapi.json describes every one of them.
  const apiRoutes = collectApiRoutes(app);
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(zodSerializerCompiler);
  registerErrorHandler(app, API_BODY_LIMIT);
  registerJsonBodyParser(app);
  await app.register(fastifyCookie);

  const origin = portalOrigin(config);
  const secureCookies = origin.startsWith('https:');
  registerSecurityHeaders(app, { strictTransportSecurity: secureCookies });

  const users = createUsersRepository(db);
  const audit = createAuditLog(db);
  const runtimeSettings = createRuntimeSettings({ db, config, audit });
  // Before the auth hook: each request sees the settings stored before it began (the idle timeout included).
  // A database that cannot answer keeps the last values: the route itself then fails or, for
  // /api/health, says the database is down (503), as a load balancer needs.
  app.addHook('onRequest', async (request) => {
    // Liveness needs no database (docs/deployment.md §5): a slow one must not make it hang.
    if (!request.url.startsWith('/api/') || request.url === '/api/health/live') return;
    await runtimeSettings.refresh().catch((error: unknown) => request.log.warn({ err: error }, 'run-time settings not re-read'));
  });
  const throttleRepository = createLoginThrottleRepository(db);
  const throttle = createLoginThrottle(
    throttleRepository,
    {
      maxFailuresPerAccountAndIp: config.loginMaxFailuresPerAccountAndIp,
      maxFailuresPerAccount: config.loginMaxFailuresPerAccount,
      maxFailuresPerIp: config.loginMaxFailuresPerIp,
      windowSeconds: config.loginWindowSeconds,
      delayStepSeconds: config.loginDelayStepSeconds,
    },
    audit,
  );
  const loginHashing = createConcurrencyLimiter({ concurrency: config.loginHashConcurrency, maxQueued: config.loginHashQueue });
  const apiTokens = createApiTokensRepository(db);
  const oidcProviders = oidcProvidersOf(config);
  const oidcConfigured = oidcProviders.length > 0;
  // The local form is off only beside an identity provider that signs people in (docs/oidc.md §5).
  const localLoginFormOff = () => oidcConfigured && runtimeSettings.current('localLoginForm') === 0;
  const auth = createAuthService({
    users,
    sessions: createSessionsRepository(db),
    tokens: apiTokens,
    throttle,
    hashing: loginHashing,
    idleTimeoutSeconds: () => runtimeSettings.current('sessionIdleTimeoutSeconds'),
    absoluteTimeoutSeconds: config.sessionAbsoluteTimeoutSeconds,
    adminsOnlyPasswordLogin: () => localLoginFormOff(),
  });
  registerAuth(app, { auth, publicOrigin: origin, secureCookies });

  const nodesRepository = createNodesRepository(db, createSecretBox(options.secretKey));
  const clients = createNodeClients(nodesRepository);
  const spacesRepository = createSpacesRepository(db);
  const groupsRepository = createGroupsRepository(db);
  // A3 (docs/node-api.md §6.5): users' bearer tokens, and space roles mirrored as node permissions.
  const a3 = createA3Access({
    nodes: nodesRepository,
    spaces: spacesRepository,
    groupIdsOf: (userId) => groupsRepository.groupIdsOf(userId),
    tokenLifeSeconds: () => runtimeSettings.current('transferTokenLifeSeconds'),
  });
  const nodes = createNodesService({ nodes: nodesRepository, clients, audit, a3 });
  if (options.embeddedNode) await nodes.registerEmbedded(options.embeddedNode);
  const access = createSpaceAccess(spacesRepository, audit);
  const transfersRepository = createTransfersRepository(db);
  const idempotencyKeys = createIdempotencyKeys(db);
  const leases = createLeases({ db, ttlMs: config.leaseSeconds * 1000, log: app.log });
  const transferChanges = createChangeChannel({ databaseUrl: config.databaseUrl, db, log: app.log, channel: 'courier_transfers' });
  const feed = createTransferFeed(transfersRepository, options.feedIntervalMs, transferChanges);
  const mailQueue = createMailQueue(db);
  const mailDelivery = createMailDelivery(config);
  const mailWorker = createMailWorker({
    queue: mailQueue,
    delivery: mailDelivery,
    from: config.mailFrom,
    log: app.log,
    runOnce: (pass) => leases.run('mail-queue', pass),
  });
  const notifier = createNotifier({ db, config, log: app.log, onQueued: mailWorker.nudge });
  const requests = createRequestsService({
    requests: createRequestsRepository(db),
    users,
    access,
    clients,
    transfers: transfersRepository,
    audit,
    notifier: options.notifier ?? notifier,
    throttle: createLoginThrottleRepository(db),
    publicOrigin: origin,
    unlockKey: createHmac('sha256', options.secretKey).update('courier file request unlock').digest(),
    tokenLifeSeconds: () => runtimeSettings.current('transferTokenLifeSeconds'),
    onChange: () => feed.nudge(),
  });
  const tracker = createTransferTracker({
    transfers: transfersRepository,
    clients,
    log: app.log,
    onChange: () => feed.nudge(),
    intervalMs: options.trackerIntervalMs,
    runOnce: (pass) => leases.run('transfer-tracker', pass),
  });
  // What happens when a transfer ends, in this order; the services built below subscribe as they are built.
  tracker.onTransferEnded(async (row) => {
    if (row.status === 'completed') await requests.transferCompleted(row);
  });
  const transfers = createTransfersService({
    access,
    clients,
    a3,
    transfers: transfersRepository,
    keys: idempotencyKeys,
    tokenLifeSeconds: () => runtimeSettings.current('transferTokenLifeSeconds'),
    onChange: () => feed.nudge(),
  });
  const copies = createCopyService({
    access,
    spaces: spacesRepository,
    clients,
    transfers: transfersRepository,
    tokenLifeSeconds: () => runtimeSettings.current('transferTokenLifeSeconds'),
    onChange: () => feed.nudge(),
    log: app.log,
  });
  tracker.onTransferEnded(copies.transferEnded);
  app.decorate('courier', { tracker, nodes, loginHashing, notifier, mailWorker, expirePackages: async () => 0, leases });
  app.addHook('onReady', async () => {
    await transferChanges.start();
    tracker.start();
    mailWorker.start();
  });
  app.addHook('preClose', async () => {
    await tracker.stop();
    await mailWorker.stop();
    feed.close();
    await transferChanges.close();
    // Given back rather than left to lapse: another instance takes the work over at its next tick.
    await leases.close();
  });

  await app.register(sessionRoutes, {
    auth,
    secureCookies,
    absoluteTimeoutSeconds: config.sessionAbsoluteTimeoutSeconds,
    idleTimeoutSeconds: () => runtimeSettings.current('sessionIdleTimeoutSeconds'),
  });
  if (oidcProviders.length > 0) {
    const box = createSecretBox(options.secretKey);
    const providers = oidcProviders.map((settings) => ({
      id: settings.id,
      name: settings.name,
      service: createOidcService({
        settings,
        redirectUri: `${origin}${callbackPath(settings.id)}`,
        matchEmail: () => runtimeSettings.current('oidcMatchEmail') === 1,
        db,
        users,
        audit,
        auth,
        box,
      }),
    }));
    await app.register(oidcRoutes, {
      providers,
      secureCookies,
      absoluteTimeoutSeconds: config.sessionAbsoluteTimeoutSeconds,
      publicOrigin: origin,
    });
  }
  await app.register(loginLocksRoutes, { throttle, audit });
  await app.register(auditRoutes, { audit });
  await app.register(settingsRoutes, { settings: runtimeSettings, audit });
  await app.register(profileRoutes, { profile: createProfileService({ db, auth, audit, hashing: loginHashing, throttle }) });
  await app.register(apiTokensRoutes, { tokens: createApiTokensService({ tokens: apiTokens, audit, auth }) });
  await app.register(healthRoutes, {
    db,
    nodes:
      options.healthNodes ??
      (async () => (await nodesRepository.list()).map((n) => ({ name: n.name, url: n.url, verifyTls: n.verify_tls === 1 }))),
  });
  await app.register(nodesRoutes, { nodes });
  await app.register(usersRoutes, { users, groups: groupsRepository, audit, auth, db, clients });
  const spaces = createSpacesService({ db, spaces: spacesRepository, nodes: nodesRepository, clients, access, audit, a3 });
  app.addHook('onReady', async () => warnOfSharedFolders(app, spaces));
  await app.register(spacesRoutes, { spaces });
  const filesService = createFilesService({ access, clients, a3 });
  await app.register(filesRoutes, { files: filesService });
  const sharesRepository = createSharesRepository(db);
  // Share links' password throttle and access cookies; a package's personal link uses them too.
  const shareThrottle = createSharePasswordThrottle(throttleRepository, {
    maxFailuresPerLinkAndIp: config.loginMaxFailuresPerAccountAndIp,
    maxFailuresPerLink: config.loginMaxFailuresPerAccount,
    maxFailuresPerIp: config.loginMaxFailuresPerIp,
    windowSeconds: config.loginWindowSeconds,
    delayStepSeconds: config.loginDelayStepSeconds,
  });
  const shareCookies = createShareAccessCookies(options.secretKey);
  const publicShares = createPublicSharesService({
    shares: sharesRepository,
    users,
    access,
    clients,
    files: filesService,
    transfers,
    audit,
    notifier: options.notifier ?? notifier,
    throttle: shareThrottle,
    hashing: loginHashing,
    cookies: shareCookies,
  });
  tracker.onTransferEnded(publicShares.transferEnded);
  const shares = createSharesService({
    shares: sharesRepository,
    access,
    clients,
    audit,
    hashing: loginHashing,
    settings: {
      defaultExpiryDays: () => runtimeSettings.current('shareDefaultExpiryDays'),
      maxExpiryDays: () => runtimeSettings.current('shareMaxExpiryDays'),
      neverExpires: () => runtimeSettings.current('shareNeverExpires') === 1,
    },
    publicOrigin: origin,
    notifier: options.notifier ?? notifier,
  });
  await app.register(sharesRoutes, { shares, publicShares, secureCookies });
  const packagesRepository = createPackagesRepository(db);
  const packages = createPackagesService({
    packages: packagesRepository,
    transfers,
    clients,
    audit,
    notifier: options.notifier ?? notifier,
    externalRecipientsAllowed: () => runtimeSettings.current('packageExternalRecipients') === 1,
    publicOrigin: origin,
    access,
    insertTransfer: (row) => transfersRepository.insert(row),
    tokenLifeSeconds: () => runtimeSettings.current('transferTokenLifeSeconds'),
    onTransferChange: () => feed.nudge(),
  });
  tracker.onTransferEnded(packages.transferEnded);
  app.courier.expirePackages = () => packages.expireDue();
  // Once a minute; a failed pass (a node down) is logged and tried again by the next.
  const expiry = setInterval(
    () =>
      void leases
        .run('package-expiry', async () => void (await packages.expireDue()))
        .catch((err: unknown) => app.log.warn({ err }, 'package expiry pass failed')),
    PACKAGE_EXPIRY_INTERVAL_MS,
  );
  expiry.unref();
  app.addHook('onClose', async () => clearInterval(expiry));
  const publicPackages = createPublicPackagesService({
    packages: packagesRepository,
    service: packages,
    audit,
    notifier: options.notifier ?? notifier,
    throttle: shareThrottle,
    cookies: shareCookies,
    counters: throttleRepository,
    secretKey: options.secretKey,
  });
  await app.register(packagesRoutes, { packages, publicPackages, secureCookies });
  await app.register(transfersRoutes, { transfers, feed, sessions: auth });
  await app.register(copyRoutes, { copies });
  await app.register(requestsRoutes, { requests, secureCookies });
  await app.register(clientConfigRoutes, {
    config,
    localLoginFormOff,
    oidcProviders: oidcProviders.map((p) => ({ id: p.id, name: p.name, startUrl: startPath(p.id) })),
  });
  await app.register(notificationsRoutes, { notifications: createNotificationsRepository(db) });
  await app.register(mailAdminRoutes, {
    queue: mailQueue,
    delivery: mailDelivery,
    from: config.mailFrom,
    maxAttempts: MAIL_MAX_ATTEMPTS,
    notifier,
    users,
    audit,
    onQueued: mailWorker.nudge,
  });
  await app.register(openApiRoutes, { routes: apiRoutes, version: PACKAGE_VERSION });
  if (options.spaDir) {
    // The gateways the page may talk to are the registered nodes' (read per page load: admins add nodes at run time).
    const csp = async () => {
      const rows = await nodesRepository.list();
      const gatewayOrigins = rows.flatMap((n) => (n.gateway_url ? [new URL(n.gateway_url).origin] : []));
      return contentSecurityPolicy({ gatewayOrigins, asperaSdkUrl: config.asperaSdkUrl });
    };
    await registerSpa(app, options.spaDir, csp);
  }

  // Hourly: ended sessions, and Idempotency-Keys past their day (docs/api.md §8).
  const purge = setInterval(
    () =>
      void leases
        .run('session-purge', async () => {
          await auth.purgeEnded();
          await idempotencyKeys.purgeCreatedBefore(Date.now() - IDEMPOTENCY_WINDOW_MS);
        })
        .catch((err: unknown) => app.log.warn({ err }, 'session purge failed')),
    3_600_000,
  );
  purge.unref();
  app.addHook('onClose', async () => clearInterval(purge));
  return app;
}

/** Said at every start until resolved: spaces sharing a folder expose each other's files. */
async function warnOfSharedFolders(app: FastifyInstance, spaces: SpacesService): Promise<void> {
  try {
    const conflicts = await spaces.rootConflicts();
    if (conflicts.length === 0) return;
    const list = conflicts.map((c) => `${c.kind} on ${c.nodeName}: ${c.spaces.map((s) => `"${s.name}" (${s.rootPath})`).join(' / ')}`);
    app.log.warn(
      { conflicts: list },
      `${conflicts.length} space folder conflict(s): members of one space can reach the other's files until an admin gives each space its own folder; see GET /api/admin/space-conflicts`,
    );
  } catch (err) {
    app.log.warn({ err }, 'could not check spaces for shared folders');
  }
}

function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}
