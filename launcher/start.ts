/**
 * The composition root of `npm start`: the only module that knows both the portal (server/) and the
 * embedded transfer node (transfer-node/). It wires them together the way an operator would wire
 * Courier to a real HSTS: the portal learns the node's URL and credentials, nothing more.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, LOG_REDACTIONS, loadConfig, portalOrigin, startPortal, type Config } from '../server/index';
import { loadTls, startTransferNode, type TransferNode } from '../transfer-node/index';

export interface StartOptions {
  env: NodeJS.ProcessEnv;
  /** Folder of the built SPA. */
  spaDir: string;
}

export async function startCourier({ env, spaDir }: StartOptions) {
  let config = loadConfig(env);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  chmodSync(config.dataDir, 0o700);
  if (config.tlsSelfSigned) {
    // Made once, kept in <data dir>/tls/, and from then on served exactly as a given pair is.
    const pair = await loadTls(config.dataDir, { selfSigned: true }, config.host);
    config = { ...config, tlsCert: pair.certFile, tlsKey: pair.keyFile };
  }
  const logger = { level: config.logLevel, redact: LOG_REDACTIONS };

  let node: TransferNode | undefined;
  if (config.embeddedNode) {
    node = await startTransferNode({
      stateDir: path.join(config.dataDir, 'node'),
      docroot: path.join(config.dataDir, 'node', 'docroot'),
      host: config.host,
      port: config.nodePort,
      // The portal's own origins, and any other an operator names for pages of theirs.
      corsOrigins: [...new Set([...portalOrigins(config), ...config.nodeCorsOrigins])],
      // Behind nginx (deploy/nginx/courier-node.conf): whose X-Forwarded-For names the client.
      trustProxy: config.nodeTrustProxy,
      // An HTTPS page may not call an HTTP gateway (mixed content): the node shares the portal's certificate.
      ...(config.tlsCert && config.tlsKey ? { tls: { certFile: config.tlsCert, keyFile: config.tlsKey } } : {}),
      logger,
    });
  }

  const portal = await startPortal({
    config,
    spaDir,
    logger,
    embeddedNode: node && {
      url: node.url,
      username: node.credentials.username,
      secret: node.credentials.password,
      gatewayUrl: node.gatewayUrl,
      // The portal calls its own in-process node at the listen address, which the portal's
      // certificate (made for the name people open) need not name; browsers still verify it.
      ...(node.tlsCertFile ? { verifyTls: false } : {}),
    },
  });
  const { app, dialect, admin } = portal;

  const url = displayUrl(config);
  const lines = [
    '',
    `  Courier is running at ${url}`,
    `  database: ${dialect}${dialect === 'sqlite' ? ` (${path.join(config.dataDir, 'courier.db')})` : ''}`,
    node ? `  embedded transfer node: ${node.url} (gateway ${node.gatewayUrl})` : '  embedded transfer node: off',
  ];
  if (admin.generatedPassword) {
    lines.push(
      '',
      `  First start: log in as "admin" with password ${admin.generatedPassword}`,
      '  (shown once; it is stored only as a hash)',
    );
  } else if (admin.created) {
    lines.push('', '  First start: log in as "admin" with the password from COURIER_ADMIN_PASSWORD');
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Stop accepting, let in-flight requests finish, then release the database and the node.
      await portal.close();
      await node?.close();
    })());
  return { url, app, node, config, close };
}

function displayUrl(config: Config): string {
  if (config.publicUrl) return config.publicUrl;
  const host = ['127.0.0.1', '0.0.0.0', '::', 'localhost'].includes(config.host) ? 'localhost' : config.host;
  return `${config.tlsCert ? 'https' : 'http'}://${host}:${config.port}`;
}

/** Origins browsers may open the portal at, for the node's CORS: both loopback spellings when local. */
function portalOrigins(config: Config): string[] {
  if (config.publicUrl) return [portalOrigin(config)];
  const scheme = config.tlsCert ? 'https' : 'http';
  return [
    `${scheme}://localhost:${config.port}`,
    `${scheme}://127.0.0.1:${config.port}`,
    ...(config.host.includes(':') || ['127.0.0.1', '0.0.0.0', 'localhost'].includes(config.host)
      ? []
      : [`${scheme}://${config.host}:${config.port}`]),
  ];
}

/** `courier start`: start, print, and shut down cleanly on Ctrl-C or SIGTERM. */
export async function main(spaDir: string): Promise<void> {
  let running: Awaited<ReturnType<typeof startCourier>>;
  try {
    running = await startCourier({ env: process.env, spaDir });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  let signals = 0;
  const onSignal = (signal: string) => {
    signals += 1;
    if (signals > 1) {
      process.stderr.write('Forced exit.\n');
      process.exit(130);
    }
    process.stdout.write(`\n${signal} received: finishing in-flight requests (press Ctrl-C again to force)…\n`);
    running.close().then(
      () => {
        process.stdout.write('Courier stopped: requests finished, node and database closed.\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
}
