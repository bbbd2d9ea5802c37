/**
 * Entry point of the embedded transfer node: `startTransferNode` builds the services, the Fastify
 * app (app.ts) and listens. The composition root (launcher/) and the CLI (cli.ts) only call this.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { AccessKeys } from './access/access-keys';
import { FileIds } from './access/file-ids';
import { Permissions } from './access/permissions';
import { transferNodeApp } from './app';
import type { NodeContext, NodeSettings } from './context';
import { isProxyAddress } from '../contract/trust-proxy';
import { trustedProxies } from './client-address';
import { guardConnections, refusal } from './connection-guard';
import { applyCorsHeaders } from './gateway/cors';
import { GATEWAY_PREFIX } from './gateway/gateway-routes';
import { acceptWsUploads } from './gateway/ws-upload';
import { resolveLimits, type NodeLimits } from './limits';
import { loadTls, type NodeTlsOptions } from './tls';
import { resolveSendTuning, type SendTuning } from './ops/session-client';

export { loadTls } from './tls';
import { AuthThrottle } from './node-api/auth-throttle';
import { acceptCancelMethod } from './node-api/cancel-method';
import { loadOrCreateSecrets } from './secrets';
import { Docroot } from './storage/docroot';
import { FileService } from './storage/file-service';
import { UploadWriter } from './storage/upload-writer';
import { SealedBox } from './tokens/sealed-box';
import { TransferTokens } from './tokens/transfer-token';
import { TransferStore } from './transfers/transfer-store';
import { UploadGrants } from './transfers/upload-grants';

export interface TransferNodeOptions {
  stateDir: string;
  docroot: string;
  host?: string;
  port: number;
  publicUrl?: string;
  corsOrigins: string[];
  tokenLifeSeconds?: number;
  transferUser?: string;
  nodeUser?: string;
  nodePassword?: string;
  /** Timeouts, connection caps and the wrong-password throttle; defaults in limits.ts. */
  limits?: Partial<NodeLimits>;
  logger?: boolean | object;
  /** HTTPS: certificate and key files, or a self-signed pair made on first start (tls.ts). */
  tls?: NodeTlsOptions;
  /** nginx's internal location prefix for X-Accel-Redirect hand-offs (docs/http-gateway.md §5.4). */
  accelRedirect?: string;
  /**
   * Addresses and CIDRs of the proxies in front of the node (docs/deployment.md §9): from them
   * only, the client's address is read from X-Forwarded-For. Empty (the default): from nobody.
   */
  trustProxy?: readonly string[];
  /** Part size and retry waits of node-to-node sends; defaults in ops/session-client.ts. */
  send?: Partial<SendTuning>;
}

export interface TransferNode {
  url: string;
  gatewayUrl: string;
  credentials: { username: string; password: string };
  /** The certificate file when served over HTTPS (for a client to trust a self-signed one). */
  tlsCertFile: string | null;
  close(): Promise<void>;
}

// docs/node-api.md §1.3: aspera.conf `token_life_seconds` defaults to 86400.
const DEFAULT_TOKEN_LIFE_SECONDS = 86400;
// docs/http-gateway.md §4.1: the download spec travels in a header; leave room for long path lists.
const MAX_HEADER_BYTES = 256 * 1024;
// How long close() lets running transfers finish before cutting them off.
const CLOSE_GRACE_MS = 5000;

export async function startTransferNode(options: TransferNodeOptions): Promise<TransferNode> {
  const host = options.host ?? '127.0.0.1';
  const explicit = options.nodeUser !== undefined || options.nodePassword !== undefined;
  if (explicit && !(options.nodeUser && options.nodePassword)) throw new Error('nodeUser and nodePassword must be given together');
  const secrets = await loadOrCreateSecrets(options.stateDir, !explicit);
  const docroot = await Docroot.open(options.docroot);
  const fileIds = await FileIds.open(options.stateDir);
  const files = new FileService(docroot, undefined, fileIds.changesIn(docroot));
  const transfers = new TransferStore(options.stateDir);
  const grants = new UploadGrants(options.stateDir);
  const transferUser = options.transferUser ?? 'xfer';
  const limits = resolveLimits(options.limits);
  const tls = options.tls ? await loadTls(options.stateDir, options.tls, host) : null;
  const wrongProxy = options.trustProxy?.find((entry) => !isProxyAddress(entry));
  if (wrongProxy !== undefined) throw new Error(`trustProxy: ${JSON.stringify(wrongProxy)} is not an address or CIDR`);
  const proxies = trustedProxies(options.trustProxy ?? []);
  const app = Fastify({
    ...(tls ? { https: { cert: tls.cert, key: tls.key } } : {}),
    logger: withSafeSerializers(options.logger),
    genReqId: () => randomUUID(),
    // request.ip, which records, logs and throttles read: Fastify's walk of X-Forwarded-For from
    // the right, believing only the proxies named (none by default, so a client cannot choose it).
    ...(options.trustProxy?.length ? { trustProxy: (address: string) => proxies.trusts(address) } : {}),
    routerOptions: { maxParamLength: 64 * 1024 },
    // requestTimeout stays 0 (Fastify's default): a large upload may rightly take hours; the
    // upload's own idle timeout and the request deadline bound what a silent client holds.
    http: {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout: limits.headersTimeoutMs,
      // Node checks headersTimeout only this often (30 s by default), which would triple a short one.
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    bodyLimit: 8 * 1024 * 1024,
  } as Parameters<typeof Fastify>[0]);
  // URL fields are known only once listening (port 0 = ephemeral); routes read them per request.
  const settings: NodeSettings = {
    nodeId: secrets.nodeId,
    transferUser,
    nodeUser: options.nodeUser ?? (secrets.nodeUser as string),
    nodePassword: options.nodePassword ?? (secrets.nodePassword as string),
    tokenLifeSeconds: options.tokenLifeSeconds ?? DEFAULT_TOKEN_LIFE_SECONDS,
    remoteHost: host,
    publicUrl: '',
    gatewayUrl: '',
    corsOrigins: options.corsOrigins,
    accelRedirect: options.accelRedirect ?? null,
    stateDir: options.stateDir,
  };
  const guard = guardConnections(app.server as unknown as HttpServer, limits.maxConnections, limits.maxConnectionsPerIp, proxies);
  const ctx: NodeContext = {
    settings,
    files,
    uploads: new UploadWriter(docroot, files.listings),
    tokens: new TransferTokens(secrets.tokenKey, transferUser),
    presign: new SealedBox(secrets.tokenKey, 'courier-presigned-url-v1'),
    transfers,
    grants,
    limits,
    authThrottle: new AuthThrottle({ maxFailures: limits.authMaxFailures, windowMs: limits.authWindowMs }),
    accessKeys: await AccessKeys.open(options.stateDir),
    fileIds,
    permissions: await Permissions.open(options.stateDir),
    send: resolveSendTuning(options.send),
  };
  // A request a trusted proxy forwards counts against its client's per-address cap while it is open.
  // Fastify types its app as a union with HTTP/2 here; this node only ever serves HTTP/1.1.
  (app as unknown as FastifyInstance).addHook('onRequest', async (request, reply) => {
    if (!proxies.trusts(request.socket.remoteAddress)) return;
    const done = guard.admitForwarded(request.ip);
    if (!done) {
      // A page of an allowed origin may read why: a browser hides an answer without CORS headers.
      if (request.url.startsWith(GATEWAY_PREFIX + '/')) applyCorsHeaders(request, reply, settings.corsOrigins);
      const { status, headers, body } = refusal();
      return reply.code(status).headers(headers).send(body);
    }
    reply.raw.once('close', done);
  });
  await app.register(transferNodeApp, ctx);
  const wsUploads = acceptWsUploads(app.server as unknown as HttpServer, ctx, { proxies, guard });
  acceptCancelMethod(app.server as unknown as HttpServer, (request) => app.inject(request));
  try {
    await app.listen({ host, port: options.port });
  } catch (err) {
    await app.close().catch(() => undefined);
    transfers.close();
    grants.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  settings.publicUrl = (options.publicUrl ?? url).replace(/\/$/, '');
  settings.gatewayUrl = settings.publicUrl + GATEWAY_PREFIX;
  settings.remoteHost = new URL(settings.publicUrl).hostname;
  return {
    url,
    gatewayUrl: settings.gatewayUrl,
    credentials: { username: settings.nodeUser, password: settings.nodePassword },
    tlsCertFile: tls?.certFile ?? null,
    async close() {
      // Finish in-flight requests, but a stalled client must not hold the process forever.
      wsUploads.close();
      const closing = app.close();
      const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS, 'timeout').unref());
      if ((await Promise.race([closing, timer])) === 'timeout') {
        transfers.abortAll('The node was shut down');
        // Fastify types its server as a union with HTTP/2; this node only ever serves HTTP/1.1.
        (app.server as unknown as HttpServer).closeAllConnections();
        await closing;
      }
      transfers.close();
      grants.close();
    },
  };
}

/** Secrets never reach the log: no headers at all, and signed-URL paths (self-authorizing) masked. */
function withSafeSerializers(logger: boolean | object | undefined): boolean | object {
  if (!logger) return false;
  const base = logger === true ? {} : (logger as { serializers?: object });
  const req = (r: { method: string; url: string; ip?: string }) => ({ method: r.method, url: redactUrl(r.url), ip: r.ip });
  return { ...base, serializers: { ...base.serializers, req } };
}

function redactUrl(url: string): string {
  // An upload session's id and an old-protocol download id authorize like a signed URL (docs/http-gateway.md §9.3, §11.2).
  return url
    .replace(/\/v3\/signed\/[^?]*/, '/v3/signed/<redacted>')
    .replace(/\/v3\/upload-sessions\/[^/?]+/, '/v3/upload-sessions/<redacted>')
    .replace(/\/v1\/download\/[^?]*/, '/v1/download/<redacted>');
}
