import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, portalOrigin } from './config';

describe('loadConfig', () => {
  it('has working defaults for a fresh machine', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, nodePort: 9092, host: '127.0.0.1', embeddedNode: true, sessionIdleTimeoutSeconds: 1800 });
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.databaseUrl).toBeUndefined();
    // No SMTP: mail goes to the outbox folder, so a fresh start needs no mail server.
    expect(config.smtpUrl).toBeUndefined();
    expect(config.mailFrom).toBe('Courier <courier@localhost>');
  });

  it.each([
    ['COURIER_PORT', 'eighty', /COURIER_PORT \(port\)/],
    ['COURIER_PORT', '70000', /COURIER_PORT/],
    ['COURIER_NODE_PORT', '-1', /COURIER_NODE_PORT/],
    ['COURIER_ADMIN_PASSWORD', 'short', /COURIER_ADMIN_PASSWORD .*at least 8/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL .*postgres/],
    ['COURIER_PUBLIC_URL', 'not a url', /COURIER_PUBLIC_URL/],
    ['COURIER_EMBEDDED_NODE', 'maybe', /COURIER_EMBEDDED_NODE/],
    ['COURIER_LOG_LEVEL', 'loud', /COURIER_LOG_LEVEL/],
    ['COURIER_SMTP_URL', 'http://mail.example.com', /COURIER_SMTP_URL .*smtp:\/\//],
    ['COURIER_MAIL_FROM', 'x', /COURIER_MAIL_FROM/],
  ])('stops on a bad %s naming the setting', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it.each([
    ['false', false],
    ['true', true],
    ['1', 1],
    ['2', 2],
    ['10.0.0.5, 10.1.0.0/16', ['10.0.0.5', '10.1.0.0/16']],
    ['::1, fd00::/8', ['::1', 'fd00::/8']],
  ])('reads COURIER_TRUST_PROXY=%s as %s (a hop count or proxy addresses, not only yes/no)', (value, expected) => {
    expect(loadConfig({ COURIER_TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('reads COURIER_NODE_TRUST_PROXY for the embedded node as proxy addresses only, nobody by default', () => {
    expect(loadConfig({}).nodeTrustProxy).toEqual([]);
    expect(loadConfig({ COURIER_NODE_TRUST_PROXY: '127.0.0.1, ::1' }).nodeTrustProxy).toEqual(['127.0.0.1', '::1']);
    for (const value of ['1', 'true', '127.0.0.1/40'])
      expect(() => loadConfig({ COURIER_NODE_TRUST_PROXY: value })).toThrow(/COURIER_NODE_TRUST_PROXY/);
  });

  it.each(['the proxy', '10.0.0.256', '10.0.0.0/33', '10.0.0.5,', 'fe80::1::2'])(
    'refuses a COURIER_TRUST_PROXY that is neither (%s), naming the setting, before a proxy list reaches Fastify',
    (value) => {
      expect(() => loadConfig({ COURIER_TRUST_PROXY: value })).toThrow(/COURIER_TRUST_PROXY/);
    },
  );

  it('never echoes a secret value in the error', () => {
    const attempt = () =>
      loadConfig({
        COURIER_ADMIN_PASSWORD: 'hunter2',
        COURIER_SECRET_KEY: 'c2VjcmV0',
        DATABASE_URL: 'mysql://u:pw-in-url@h/db',
        COURIER_SMTP_URL: 'imap://u:smtp-pw@h',
      });
    expect(attempt).toThrow(/DATABASE_URL[\s\S]*COURIER_ADMIN_PASSWORD[\s\S]*COURIER_SECRET_KEY[\s\S]*COURIER_SMTP_URL/);
    try {
      attempt();
    } catch (error) {
      for (const secret of ['hunter2', 'c2VjcmV0', 'pw-in-url', 'smtp-pw']) expect((error as Error).message).not.toContain(secret);
    }
  });

  it('takes an OpenID Connect provider only whole, over https (http on loopback only)', () => {
    const oidc = {
      COURIER_OIDC_ISSUER: 'https://idp.example.com',
      COURIER_OIDC_CLIENT_ID: 'courier',
      COURIER_OIDC_CLIENT_SECRET: 's3cret-value',
    };
    expect(loadConfig(oidc)).toMatchObject({ oidcIssuer: 'https://idp.example.com', oidcName: 'single sign-on', oidcMatchEmail: 0 });
    expect(loadConfig({ ...oidc, COURIER_OIDC_ISSUER: 'http://127.0.0.1:4000' }).oidcIssuer).toBe('http://127.0.0.1:4000');
    expect(() => loadConfig({ ...oidc, COURIER_OIDC_ISSUER: 'http://idp.example.com' })).toThrow(/COURIER_OIDC_ISSUER .*https/);
    expect(() => loadConfig({ COURIER_OIDC_ISSUER: 'https://idp.example.com' })).toThrow(/set all three/);
    expect(() => loadConfig({ ...oidc, COURIER_OIDC_CLIENT_SECRET: '', COURIER_OIDC_CLIENT_ID: '' })).toThrow(/set all three/);
  });

  it('takes several OpenID Connect providers as a JSON list, refusing bad entries without echoing a secret', () => {
    const entry = { id: 'partner', name: 'Partner ID', issuer: 'https://id.partner.example', clientId: 'c', clientSecret: 'sec-ret-9' };
    expect(loadConfig({ COURIER_OIDC_PROVIDERS: JSON.stringify([entry]) }).oidcProviders).toEqual([{ ...entry, groupsClaim: 'groups' }]);
    expect(loadConfig({}).oidcProviders).toEqual([]);
    const refused = (list: string) => () => loadConfig({ COURIER_OIDC_PROVIDERS: list });
    expect(refused('[{')).toThrow(/COURIER_OIDC_PROVIDERS .*JSON array/);
    expect(refused(JSON.stringify([entry, entry]))).toThrow(/its own id/);
    expect(refused(JSON.stringify([{ ...entry, id: 'default' }]))).toThrow(/COURIER_OIDC_ISSUER provider/);
    expect(refused(JSON.stringify([{ ...entry, id: '../x' }]))).toThrow(/lowercase letters/);
    expect(refused(JSON.stringify([{ ...entry, issuer: 'http://id.partner.example' }]))).toThrow(/https/);
    expect(refused(JSON.stringify([{ ...entry, extra: 1 }]))).toThrow(/extra/);
    try {
      refused(JSON.stringify([{ ...entry, id: 'BAD' }]))();
    } catch (error) {
      expect((error as Error).message).not.toContain('sec-ret-9');
    }
  });

  it('reports every bad setting at once', () => {
    expect(() => loadConfig({ COURIER_PORT: 'x', COURIER_NODE_PORT: 'y' })).toThrow(/COURIER_PORT[\s\S]*COURIER_NODE_PORT/);
  });

  it('reads a JSON config file, with environment variables taking precedence', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'courier-config-'));
    const file = path.join(dir, 'courier.json');
    writeFileSync(file, JSON.stringify({ port: 9000, nodePort: 9100, embeddedNode: false }));
    const config = loadConfig({ COURIER_CONFIG: file, COURIER_NODE_PORT: '9200' });
    expect(config).toMatchObject({ port: 9000, nodePort: 9200, embeddedNode: false });
  });

  it('refuses a config file with unknown settings or bad JSON', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'courier-config-'));
    const unknown = path.join(dir, 'a.json');
    writeFileSync(unknown, JSON.stringify({ prot: 1 }));
    expect(() => loadConfig({ COURIER_CONFIG: unknown })).toThrow(/unknown setting\(s\) prot/);
    const broken = path.join(dir, 'b.json');
    writeFileSync(broken, '{ port: ');
    expect(() => loadConfig({ COURIER_CONFIG: broken })).toThrow(/not valid JSON/);
    expect(() => loadConfig({ COURIER_CONFIG: path.join(dir, 'missing.json') })).toThrow(/cannot read/);
  });

  it('derives the portal origin from the public URL when behind a proxy', () => {
    expect(portalOrigin({ port: 8080, publicUrl: undefined, tlsCert: undefined })).toBe('http://localhost:8080');
    expect(portalOrigin({ port: 8080, publicUrl: 'https://files.example.com/courier/', tlsCert: undefined })).toBe(
      'https://files.example.com',
    );
    expect(portalOrigin({ port: 8443, publicUrl: undefined, tlsCert: '/etc/courier/cert.pem' })).toBe('https://localhost:8443');
  });

  it('refuses half a TLS configuration', () => {
    expect(() => loadConfig({ COURIER_TLS_CERT: 'cert.pem' })).toThrow(/COURIER_TLS_CERT, COURIER_TLS_KEY: set both/);
    expect(() => loadConfig({ COURIER_TLS_KEY: 'key.pem' })).toThrow(/set both to serve HTTPS, or neither/);
    expect(() => loadConfig({ COURIER_TLS_SELF_SIGNED: 'true', COURIER_TLS_CERT: 'cert.pem', COURIER_TLS_KEY: 'key.pem' })).toThrow(
      /COURIER_TLS_SELF_SIGNED, COURIER_TLS_CERT: a self-signed certificate or a given one, not both/,
    );
  });
});
