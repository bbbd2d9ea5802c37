import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readTrustedProxyList, readTrustProxy, type TrustProxy } from '../contract/trust-proxy';

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().int().positive();
const count = z.coerce.number().int().positive();
const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');
// `true` trusts every X-Forwarded-For hop, so a client reaching the portal directly picks its own
// address (and with it a fresh login budget); a hop count or the proxy's addresses trust only the proxy.
// The parser is the transfer node's too (COURIER_NODE_TRUST_PROXY).
const trustProxy = z.union([z.boolean(), z.number().int().min(0), z.string()]).transform((v, ctx): TrustProxy => {
  if (typeof v !== 'string') return v;
  const reading = readTrustProxy(v);
  if (reading.ok) return reading.value;
  ctx.addIssue({ code: 'custom', message: reading.error });
  return z.NEVER;
});
const issuerUrl = z
  .url()
  .refine(
    (u) => /^https:\/\//.test(u) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(u),
    'must be an https URL (http only on 127.0.0.1 or localhost)',
  );
/** One identity provider of COURIER_OIDC_PROVIDERS (docs/oidc.md §6). */
const oidcProviderEntry = z.strictObject({
  // The id is in the provider's own paths (/api/auth/oidc/<id>/start and /callback).
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'id: 1 to 32 lowercase letters, digits and dashes')
    .refine((id) => id !== 'default', 'id: "default" is the COURIER_OIDC_ISSUER provider'),
  name: z.string().trim().min(1).max(60),
  issuer: issuerUrl,
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  groupsClaim: z.string().min(1).max(100).default('groups'),
  adminGroup: z.string().min(1).max(200).optional(),
});
const oidcProviderList = z
  .union([z.string(), z.array(z.unknown())])
  .default([])
  .transform((v, ctx) => {
    if (typeof v !== 'string') return v;
    if (v.trim() === '') return [];
    try {
      return JSON.parse(v) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of providers' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(oidcProviderEntry)
      .max(10)
      .refine((list) => new Set(list.map((p) => p.id)).size === list.length, 'each provider needs its own id'),
  );
export type OidcProviderEntry = z.output<typeof oidcProviderEntry>;

/**
 * Every setting Courier reads, with its environment variable, default and meaning.
 * The README's settings table is this list; keep them together.
 */
export const SETTINGS = {
  port: { env: 'COURIER_PORT', schema: port.default(8080), doc: 'Port of the portal (the SPA and `/api`).' },
  host: {
    env: 'COURIER_HOST',
    schema: z.string().min(1).default('127.0.0.1'),
    doc: 'Interface the portal and the embedded node listen on. Use `0.0.0.0` to accept other machines.',
  },
  publicUrl: {
    env: 'COURIER_PUBLIC_URL',
    schema: z.url().optional(),
    doc: 'URL people open, when Courier is behind a proxy (`https://…` makes the session cookie Secure). Default: `http://localhost:<port>`.',
  },
  tlsCert: {
    env: 'COURIER_TLS_CERT',
    schema: z.string().min(1).optional(),
    doc: 'PEM certificate file (the chain after it) for the portal to serve HTTPS itself, with `COURIER_TLS_KEY`; its default URL becomes `https://localhost:<port>` (session cookie Secure, HSTS). Unset: plain HTTP (or a TLS proxy in front, with `COURIER_PUBLIC_URL`).',
  },
  tlsKey: {
    env: 'COURIER_TLS_KEY',
    schema: z.string().min(1).optional(),
    doc: 'PEM private key file of `COURIER_TLS_CERT` (keep it 0600).',
  },
  tlsSelfSigned: {
    env: 'COURIER_TLS_SELF_SIGNED',
    schema: bool.default(false),
    doc: '`true` (for trying HTTPS out): `npm start` makes a self-signed certificate on first start with the `openssl` command, keeps it in `<data dir>/tls/`, and serves the portal and the embedded node with it; browsers warn until they are told to trust that file. Excludes `COURIER_TLS_CERT`.',
  },
  dataDir: {
    env: 'COURIER_DATA_DIR',
    schema: z.string().min(1).default('./data'),
    doc: 'Folder for the SQLite database, the embedded node (docroot and state) and generated secrets.',
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    schema: z
      .string()
      .regex(/^(postgres(ql)?:\/\/|sqlite:)/, 'must start with postgres://, postgresql:// or sqlite:')
      .optional(),
    doc: 'PostgreSQL (`postgres://user:pass@host/db`) to share state between several portal instances; default: SQLite at `<data dir>/courier.db`.',
  },
  adminPassword: {
    env: 'COURIER_ADMIN_PASSWORD',
    schema: z.string().min(8, 'must be at least 8 characters').optional(),
    doc: 'Password of the `admin` account created on first start. If unset, one is generated and printed once.',
  },
  secretKey: {
    env: 'COURIER_SECRET_KEY',
    schema: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)')
      .optional(),
    doc: 'Key that seals node passwords and access-key secrets in the database. Generated into `<data dir>/secrets.json` if unset; set the same value on every instance sharing a PostgreSQL database.',
  },
  embeddedNode: {
    env: 'COURIER_EMBEDDED_NODE',
    schema: bool.default(true),
    doc: 'Run the embedded transfer node (Node API + HTTP Gateway v3) in the same process.',
  },
  nodePort: { env: 'COURIER_NODE_PORT', schema: port.default(9092), doc: 'Port of the embedded transfer node.' },
  nodeCorsOrigins: {
    env: 'COURIER_NODE_CORS_ORIGINS',
    // A comma-separated string in the environment, a string or an array in the COURIER_CONFIG file.
    schema: z
      .union([z.string(), z.array(z.string())])
      .default('')
      .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((o) => o.trim().replace(/\/$/, '')).filter(Boolean))
      .pipe(z.array(z.url().refine((u) => /^https?:\/\/[^/]+$/.test(u), 'must be origins such as https://app.example.com'))),
    doc: "Comma-separated origins, besides the portal's own, whose pages may call the embedded node's HTTP Gateway from a browser (a page that loads the IBM SDK from another site).",
  },
  nodeTrustProxy: {
    env: 'COURIER_NODE_TRUST_PROXY',
    // A comma-separated string in the environment, a string or an array in the COURIER_CONFIG file.
    schema: z
      .union([z.string(), z.array(z.string())])
      .default('')
      .transform((v, ctx): string[] => {
        const reading = readTrustedProxyList(Array.isArray(v) ? v.join(',') : v);
        if (reading.ok) return reading.value;
        ctx.addIssue({ code: 'custom', message: reading.error });
        return z.NEVER;
      }),
    doc: "Addresses/CIDRs (`127.0.0.1`) of the proxies in front of the embedded node (`deploy/nginx/courier-node.conf`), whose `X-Forwarded-For` it believes for its transfer records, log and per-address connection cap ([docs/deployment.md](docs/deployment.md) §9). Unset: nobody's, so a client cannot choose its address; behind such a proxy every client then shares the proxy's.",
  },
  asperaSdkUrl: {
    env: 'COURIER_ASPERA_SDK_URL',
    schema: z
      .url()
      .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
      .optional(),
    doc: "URL of the IBM Aspera JavaScript SDK browser bundle (`…/@ibm-aspera/sdk@<version>/dist/js/aspera-sdk.js`, or an operator-hosted copy). Enables IBM Aspera for Desktop as a transfer client, and lets the page reach what the SDK needs (its script origin, Desktop on 127.0.0.1:33024-33029, the aspera:// launch link, IBM's installer list at downloads.ibmaspera.com); unset, browsers use the HTTP Gateway and the page allows none of it.",
  },
  asperaAppId: {
    env: 'COURIER_ASPERA_APP_ID',
    schema: z.string().min(1).max(100).default('courier'),
    doc: 'Application id the SDK registers with Desktop.',
  },
  sessionIdleTimeoutSeconds: {
    env: 'COURIER_SESSION_IDLE_TIMEOUT_SECONDS',
    schema: seconds.default(1800),
    doc: 'A session unused for this long ends.',
  },
  sessionAbsoluteTimeoutSeconds: {
    env: 'COURIER_SESSION_ABSOLUTE_TIMEOUT_SECONDS',
    schema: seconds.default(43_200),
    doc: 'A session ends this long after login, used or not.',
  },
  loginMaxFailuresPerAccountAndIp: {
    env: 'COURIER_LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP',
    schema: count.default(5),
    doc: 'Failed logins allowed for one username from one IP address per window; then that pair is locked for the rest of the window (the same user from another address is not).',
  },
  loginMaxFailuresPerAccount: {
    env: 'COURIER_LOGIN_MAX_FAILURES_PER_ACCOUNT',
    schema: count.default(100),
    doc: 'Failed logins allowed for one username from all addresses together per window (against guessing spread over many addresses); then the username is locked for everyone until the window ends or an admin unlocks it.',
  },
  loginMaxFailuresPerIp: {
    env: 'COURIER_LOGIN_MAX_FAILURES_PER_IP',
    schema: count.default(20),
    doc: 'Failed logins allowed from one IP address for all usernames together per window (against trying one password on many accounts).',
  },
  loginWindowSeconds: { env: 'COURIER_LOGIN_WINDOW_SECONDS', schema: seconds.default(900), doc: 'Length of the login rate-limit window.' },
  transferTokenLifeSeconds: {
    env: 'COURIER_TRANSFER_TOKEN_LIFE_SECONDS',
    schema: seconds.default(3600),
    doc: 'Life of the transfer tokens the portal asks nodes for: long enough for a transfer to start (a running one is not cut), short enough that an authorization does not outlive a logout or a removal from the space.',
  },
  shareDefaultExpiryDays: {
    env: 'COURIER_SHARE_DEFAULT_EXPIRY_DAYS',
    schema: z.coerce.number().int().min(1).max(3650).default(7),
    doc: 'Days a new share link lasts when its sharer picks no date. Admins may change it at run time.',
  },
  shareMaxExpiryDays: {
    env: 'COURIER_SHARE_MAX_EXPIRY_DAYS',
    schema: z.coerce.number().int().min(1).max(3650).default(90),
    doc: 'The latest expiry a share link may have, in days from when it is created or edited. Admins may change it at run time.',
  },
  shareNeverExpires: {
    env: 'COURIER_SHARE_NEVER_EXPIRES',
    schema: z.coerce.number().int().min(0).max(1).default(0),
    doc: '`1` lets people create share links that never expire; `0` (the default) requires an expiry. Admins may change it at run time.',
  },
  packageExternalRecipients: {
    env: 'COURIER_PACKAGE_EXTERNAL_RECIPIENTS',
    schema: z.coerce.number().int().min(0).max(1).default(0),
    doc: '`1` lets people send packages to email addresses without an account; `0` (the default) allows only users and groups. Admins may change it at run time.',
  },
  loginDelayStepSeconds: {
    env: 'COURIER_LOGIN_DELAY_STEP_SECONDS',
    schema: z.coerce.number().int().min(0).max(60).default(1),
    doc: 'Progressive delay: after n failed logins for one username from one address, the next try from there waits (n - 1) × this many seconds (answered 429 with Retry-After until then). 0 turns the delay off.',
  },
  loginHashConcurrency: {
    env: 'COURIER_LOGIN_HASH_CONCURRENCY',
    schema: count.max(4).default(2),
    doc: "Password hashes computed at once. They share libuv's 4-thread pool with file I/O, so a burst of logins must not take all of it.",
  },
  loginHashQueue: {
    env: 'COURIER_LOGIN_HASH_QUEUE',
    schema: z.coerce.number().int().min(0).default(32),
    doc: 'Logins that may wait for a hash slot; more are answered 503 SERVER_BUSY with Retry-After at once.',
  },
  requestTimeoutSeconds: {
    env: 'COURIER_REQUEST_TIMEOUT_SECONDS',
    schema: seconds.default(30),
    doc: 'Time a client has to send a whole request (headers and body) to the portal; slower connections are closed. Portal bodies are small JSON; uploads go to the node. Responses, such as the transfer event stream, are not limited.',
  },
  leaseSeconds: {
    env: 'COURIER_LEASE_SECONDS',
    schema: z.coerce.number().int().min(2).max(300).default(10),
    doc: "With several portal instances on one PostgreSQL database: how long an instance holds once-only work (following the nodes, the periodic jobs) without renewing it. A dead instance's work moves to another within about this long.",
  },
  maxConnections: {
    env: 'COURIER_MAX_CONNECTIONS',
    schema: count.default(2048),
    doc: 'Open connections the portal accepts at once (each open browser tab holds one for its event stream); further connections are closed.',
  },
  trustProxy: {
    env: 'COURIER_TRUST_PROXY',
    schema: trustProxy.default(false),
    doc: "Behind a reverse proxy: the number of proxy hops (`1`) or the proxy addresses/CIDRs (`10.0.0.5,10.1.0.0/16`) whose `X-Forwarded-*` headers (client IP, HTTPS) are trusted. Required there: without it every login counts against the proxy's address. `true` trusts any hop, which lets a client that reaches the portal directly choose its own address.",
  },
  oidcIssuer: {
    env: 'COURIER_OIDC_ISSUER',
    schema: issuerUrl.optional(),
    doc: 'Issuer URL of an OpenID Connect identity provider (its `/.well-known/openid-configuration` is read from it). Set with the client id and secret to offer "Sign in with …" on the login page ([docs/oidc.md](docs/oidc.md)).',
  },
  oidcClientId: {
    env: 'COURIER_OIDC_CLIENT_ID',
    schema: z.string().min(1).optional(),
    doc: "Courier's client id at the identity provider. Its redirect URI there is `<public URL>/api/auth/oidc/callback`.",
  },
  oidcClientSecret: {
    env: 'COURIER_OIDC_CLIENT_SECRET',
    schema: z.string().min(1).optional(),
    doc: "Courier's client secret at the identity provider (sent with `client_secret_post`).",
  },
  oidcName: {
    env: 'COURIER_OIDC_NAME',
    schema: z.string().trim().min(1).max(60).default('single sign-on'),
    doc: 'Name of the identity provider on the login button: "Sign in with <name>".',
  },
  oidcProviders: {
    env: 'COURIER_OIDC_PROVIDERS',
    schema: oidcProviderList,
    doc: 'Several OpenID Connect providers, as a JSON array of `{ "id", "name", "issuer", "clientId", "clientSecret", "groupsClaim"?, "adminGroup"? }`, each with its own "Sign in with <name>" button and its redirect URI `<public URL>/api/auth/oidc/<id>/callback` ([docs/oidc.md](docs/oidc.md) §6). With `COURIER_OIDC_ISSUER` too, that provider comes first.',
  },
  localLoginForm: {
    env: 'COURIER_LOCAL_LOGIN_FORM',
    schema: z.coerce.number().int().min(0).max(1).default(1),
    doc: '`1` (the default) shows the login page\'s username and password form to everyone; `0`, when an OpenID Connect provider is configured, shows only "Sign in with …" and refuses password logins except for admins (who find the form at `/login?local=1`). Admins may change it at run time.',
  },
  oidcGroupsClaim: {
    env: 'COURIER_OIDC_GROUPS_CLAIM',
    schema: z.string().min(1).max(100).default('groups'),
    doc: "ID token claim listing the person's groups. Each names a Courier group (matched by name, case-insensitive); memberships follow it at every sign-in. Groups not named in Courier are ignored.",
  },
  oidcAdminGroup: {
    env: 'COURIER_OIDC_ADMIN_GROUP',
    schema: z.string().min(1).max(200).optional(),
    doc: "A value of the groups claim that makes its holder a Courier admin, set or cleared at every sign-in. Unset: the identity provider decides nobody's admin role.",
  },
  oidcMatchEmail: {
    env: 'COURIER_OIDC_MATCH_EMAIL',
    // A number, as every run-time setting is (Admin → Settings changes it: docs/oidc.md §2).
    schema: bool.default(false).transform((v) => (v ? 1 : 0)),
    doc: 'On a first sign-in, link the identity to the existing Courier user with the same email address when the provider says it is verified (`email_verified`). Off: a first sign-in always creates a new user, so an identity provider cannot take over a local account. Admins may change it at run time.',
  },
  smtpUrl: {
    env: 'COURIER_SMTP_URL',
    schema: z
      .url()
      .refine((u) => /^smtps?:\/\//.test(u), 'must be an smtp:// or smtps:// URL')
      .optional(),
    doc: 'SMTP server for email notifications, e.g. `smtp://user:pass@mail.example.com:587` (STARTTLS when offered) or `smtps://…:465`. Unset: each message is written as an `.eml` file to `<data dir>/outbox/` instead.',
  },
  mailFrom: {
    env: 'COURIER_MAIL_FROM',
    schema: z.string().trim().min(3).max(320).default('Courier <courier@localhost>'),
    doc: 'Sender of email notifications, e.g. `Courier <courier@example.com>`.',
  },
  logLevel: {
    env: 'COURIER_LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    doc: 'Log level (logs are JSON lines on stdout).',
  },
} as const;

const SECRET_SETTINGS = new Set<string>(['adminPassword', 'secretKey', 'databaseUrl', 'oidcClientSecret', 'oidcProviders', 'smtpUrl']);

type Settings = typeof SETTINGS;
export type Config = { [K in keyof Settings]: z.output<Settings[K]['schema']> } & {
  /** Resolved absolute data folder. */
  dataDir: string;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the configuration once: an optional JSON file named by COURIER_CONFIG (keys are the
 * setting names, e.g. `{ "port": 8080 }`), overridden by environment variables.
 * A bad value stops the start with a message naming the setting and what is wrong.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const fromFile = readConfigFile(env.COURIER_CONFIG);
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(SETTINGS)) {
    const raw = env[setting.env] !== undefined && env[setting.env] !== '' ? env[setting.env] : fromFile[key];
    const parsed = (setting.schema as z.ZodType).safeParse(raw);
    if (parsed.success) out[key] = parsed.data;
    else {
      // Never echo a secret (a password, a key, a database URL with its password) into a terminal or log.
      const got = SECRET_SETTINGS.has(key) ? '' : ` (got ${JSON.stringify(raw)})`;
      problems.push(`${setting.env} (${key}): ${parsed.error.issues.map((i) => i.message).join('; ')}${got}`);
    }
  }
  // Half an OpenID Connect configuration would show a sign-in button that cannot work.
  const oidcKeys = ['oidcIssuer', 'oidcClientId', 'oidcClientSecret'] as const;
  const oidcSet = oidcKeys.filter((k) => out[k] !== undefined).length;
  if (oidcSet > 0 && oidcSet < oidcKeys.length)
    problems.push(`${oidcKeys.map((k) => SETTINGS[k].env).join(', ')}: set all three to offer OpenID Connect sign-in, or none`);
  // Half a TLS configuration would start a plain-HTTP portal its operator believes is encrypted.
  if ((out.tlsCert === undefined) !== (out.tlsKey === undefined))
    problems.push(`${SETTINGS.tlsCert.env}, ${SETTINGS.tlsKey.env}: set both to serve HTTPS, or neither`);
  if (out.tlsSelfSigned === true && out.tlsCert !== undefined)
    problems.push(`${SETTINGS.tlsSelfSigned.env}, ${SETTINGS.tlsCert.env}: a self-signed certificate or a given one, not both`);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  const config = out as Config;
  config.dataDir = path.resolve(config.dataDir);
  return config;
}

function readConfigFile(file: string | undefined): Record<string, unknown> {
  if (!file) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`COURIER_CONFIG: cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`COURIER_CONFIG: ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`COURIER_CONFIG: ${file} must hold a JSON object of settings`);
  }
  const unknown = Object.keys(parsed).filter((k) => !(k in SETTINGS));
  if (unknown.length > 0) throw new ConfigError(`COURIER_CONFIG: unknown setting(s) ${unknown.join(', ')} in ${file}`);
  return parsed as Record<string, unknown>;
}

/** The origin the portal is reached at, used for CSRF origin checks and the printed URL. */
export function portalOrigin(config: Pick<Config, 'publicUrl' | 'port' | 'tlsCert'>): string {
  return config.publicUrl ? new URL(config.publicUrl).origin : `${config.tlsCert ? 'https' : 'http'}://localhost:${config.port}`;
}

/** The certificate and key the portal serves HTTPS with, read at start; null without TLS settings. */
export function readPortalTls(config: Pick<Config, 'tlsCert' | 'tlsKey'>): { cert: Buffer; key: Buffer } | null {
  if (!config.tlsCert || !config.tlsKey) return null;
  const read = (file: string, env: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new ConfigError(`${env}: cannot read ${file}: ${(error as Error).message}`);
    }
  };
  return { cert: read(config.tlsCert, SETTINGS.tlsCert.env), key: read(config.tlsKey, SETTINGS.tlsKey.env) };
}
