/**
 * The node's TLS (docs/node-api.md §7): a certificate and key given as files, or, opted into for
 * trying it out, a self-signed pair made on first start and kept in `<stateDir>/tls/`. IBM's CLI
 * expects the gateway over HTTPS (docs/http-gateway.md §9). node:crypto makes keys but not X.509
 * certificates, so the self-signed pair comes from the `openssl` command (OpenSSL 1.1.1 or later,
 * for `-addext`); without it the node says so and does not start.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

export type NodeTlsOptions = { certFile: string; keyFile: string } | { selfSigned: true };

export interface TlsPair {
  cert: Buffer;
  key: Buffer;
  /** Where the certificate is, so a client of a self-signed node can be told to trust it. */
  certFile: string;
  keyFile: string;
}

// A year, then a fresh start after deleting <stateDir>/tls/ makes another.
const SELF_SIGNED_DAYS = 365;

export async function loadTls(stateDir: string, options: NodeTlsOptions, host: string): Promise<TlsPair> {
  if ('certFile' in options) {
    const [cert, key] = await Promise.all([readFile(options.certFile), readFile(options.keyFile)]);
    return { cert, key, certFile: options.certFile, keyFile: options.keyFile };
  }
  const dir = join(stateDir, 'tls');
  const certFile = join(dir, 'self-signed-cert.pem');
  const keyFile = join(dir, 'self-signed-key.pem');
  const existing = await Promise.all([readFile(certFile), readFile(keyFile)]).catch(() => null);
  if (existing) return { cert: existing[0], key: existing[1], certFile, keyFile };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const names = new Set(['DNS:localhost', 'IP:127.0.0.1', 'IP:::1', `${isIP(host) ? 'IP' : 'DNS'}:${host}`]);
  const tmpCert = `${certFile}.tmp`;
  const tmpKey = `${keyFile}.tmp`;
  try {
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      String(SELF_SIGNED_DAYS),
      '-subj',
      '/CN=Courier embedded transfer node',
      '-addext',
      `subjectAltName=${[...names].join(',')}`,
      '-keyout',
      tmpKey,
      '-out',
      tmpCert,
    ]);
  } catch (err) {
    await Promise.all([rm(tmpCert, { force: true }), rm(tmpKey, { force: true })]);
    throw new Error(`A self-signed certificate needs the openssl command (1.1.1 or later): ${(err as Error).message}`);
  }
  await chmod(tmpKey, 0o600);
  // Key first: a certificate on disk always has its key.
  await rename(tmpKey, keyFile);
  await rename(tmpCert, certFile);
  return { cert: await readFile(certFile), key: await readFile(keyFile), certFile, keyFile };
}
