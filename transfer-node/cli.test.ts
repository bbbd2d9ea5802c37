import { describe, expect, it } from 'vitest';
import { parseNodeCliConfig } from './cli';

describe('transfer-node CLI settings', () => {
  it('has defaults under ./data/node and port 9092', () => {
    expect(parseNodeCliConfig([], {})).toMatchObject({
      port: 9092,
      host: '127.0.0.1',
      docroot: './data/node/docroot',
      'state-dir': './data/node',
      'cors-origins': [],
    });
  });

  it('reads COURIER_NODE_* and lets flags win', () => {
    const env = {
      COURIER_NODE_PORT: '9100',
      COURIER_NODE_CORS_ORIGINS: 'http://localhost:8080, https://portal.example',
      COURIER_NODE_TOKEN_LIFE_SECONDS: '600',
    };
    const config = parseNodeCliConfig(['--port', '9200', '--docroot', '/srv/data'], env);
    expect(config).toMatchObject({
      port: 9200,
      docroot: '/srv/data',
      'token-life-seconds': 600,
      'cors-origins': ['http://localhost:8080', 'https://portal.example'],
    });
  });

  it.each([
    [{ COURIER_NODE_PORT: 'abc' }, /COURIER_NODE_PORT/],
    [{ COURIER_NODE_PORT: '70000' }, /COURIER_NODE_PORT/],
    [{ COURIER_NODE_TOKEN_LIFE_SECONDS: '5' }, /COURIER_NODE_TOKEN_LIFE_SECONDS/],
    [{ COURIER_NODE_CORS_ORIGINS: 'localhost:8080' }, /COURIER_NODE_CORS_ORIGINS/],
    [{ COURIER_NODE_CORS_ORIGINS: 'http://localhost:8080/path' }, /COURIER_NODE_CORS_ORIGINS/],
    [{ COURIER_NODE_PUBLIC_URL: 'ftp://x' }, /COURIER_NODE_PUBLIC_URL/],
    [{ COURIER_NODE_PASSWORD: 'short', COURIER_NODE_USER: 'u' }, /COURIER_NODE_PASSWORD/],
    [{ COURIER_NODE_USER: 'u' }, /COURIER_NODE_USER and COURIER_NODE_PASSWORD/],
    [{ COURIER_NODE_UPLOAD_IDLE_TIMEOUT_SECONDS: '0' }, /COURIER_NODE_UPLOAD_IDLE_TIMEOUT_SECONDS/],
    [{ COURIER_NODE_UPLOAD_SESSION_IDLE_SECONDS: '-1' }, /COURIER_NODE_UPLOAD_SESSION_IDLE_SECONDS/],
    [{ COURIER_NODE_MAX_CONNECTIONS_PER_IP: '-3' }, /COURIER_NODE_MAX_CONNECTIONS_PER_IP/],
    [{ COURIER_NODE_ACCEL_REDIRECT: '_courier_docroot/' }, /COURIER_NODE_ACCEL_REDIRECT.*starts and ends with \//],
    [{ COURIER_NODE_ACCEL_REDIRECT: '/_courier_docroot' }, /COURIER_NODE_ACCEL_REDIRECT/],
    [{ COURIER_NODE_ACCEL_REDIRECT: '/a/../b/' }, /COURIER_NODE_ACCEL_REDIRECT/],
  ])('stops on %j with a message naming the setting', (env, message) => {
    expect(() => parseNodeCliConfig([], env)).toThrow(message);
  });

  it('reads the X-Accel-Redirect prefix, off unless set', () => {
    expect(parseNodeCliConfig([], {})['accel-redirect']).toBeUndefined();
    expect(parseNodeCliConfig([], { COURIER_NODE_ACCEL_REDIRECT: '/_courier_docroot/' })['accel-redirect']).toBe('/_courier_docroot/');
  });

  it('reads COURIER_NODE_TRUST_PROXY as the proxies by address, trusting nobody unless set', () => {
    expect(parseNodeCliConfig([], {})['trust-proxy']).toEqual([]);
    expect(parseNodeCliConfig([], { COURIER_NODE_TRUST_PROXY: 'false' })['trust-proxy']).toEqual([]);
    expect(parseNodeCliConfig(['--trust-proxy', '127.0.0.1, ::1, 10.0.0.0/24'], {})['trust-proxy']).toEqual([
      '127.0.0.1',
      '::1',
      '10.0.0.0/24',
    ]);
  });

  it.each(['1', 'true', 'nginx', '10.0.0.0/33', '127.0.0.1,,::1'])(
    'refuses COURIER_NODE_TRUST_PROXY=%s: a hop count or true would believe a browser reaching the gateway directly',
    (value) => {
      expect(() => parseNodeCliConfig([], { COURIER_NODE_TRUST_PROXY: value })).toThrow(/COURIER_NODE_TRUST_PROXY \(--trust-proxy\): must/);
    },
  );

  it('reads the timeouts, connection caps and password throttle', () => {
    const env = {
      COURIER_NODE_UPLOAD_IDLE_TIMEOUT_SECONDS: '120',
      COURIER_NODE_UPLOAD_SESSION_IDLE_SECONDS: '3600',
      COURIER_NODE_AUTH_MAX_FAILURES: '5',
    };
    expect(parseNodeCliConfig(['--max-connections-per-ip', '32'], env)).toMatchObject({
      'upload-idle-timeout-seconds': 120,
      'upload-session-idle-seconds': 3600,
      'auth-max-failures': 5,
      'max-connections-per-ip': 32,
    });
  });

  it('refuses unknown flags', () => {
    expect(() => parseNodeCliConfig(['--prot', '1'], {})).toThrow(/prot/);
  });
});
