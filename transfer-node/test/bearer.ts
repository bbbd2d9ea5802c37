/**
 * Bearer tokens made the way IBM's aspera-cli makes them (docs/node-api.md §1.2), for tests: the
 * payload JSON, `==SIGNATURE==`, the base64 RSA-SHA512 signature in 60-character lines, deflated
 * with zlib and base64-encoded. Signed with a real RSA key pair, so the node verifies real signatures.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { deflateSync } from 'node:zlib';

export interface KeyPair {
  privateKey: KeyObject;
  publicPem: string;
}

export function rsaKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export interface TokenOptions {
  accessKey: string;
  userId: string;
  groupIds?: string[];
  scope?: 'user:all' | 'admin:all';
  /** Seconds from now; negative for an expired token. */
  validity?: number;
  payload?: Record<string, unknown>;
}

export function signPayload(payloadJson: string, privateKey: KeyObject): string {
  const signature = createSign('sha512').update(payloadJson).sign(privateKey).toString('base64');
  const text = [payloadJson, '==SIGNATURE==', (signature.match(/.{1,60}/g) ?? []).join('\n'), ''].join('\n');
  return deflateSync(Buffer.from(text, 'utf8')).toString('base64');
}

export function bearerToken(privateKey: KeyObject, options: TokenOptions): string {
  const payload = {
    user_id: options.userId,
    ...(options.groupIds ? { group_ids: options.groupIds } : {}),
    scope: `node.${options.accessKey}:${options.scope ?? 'user:all'}`,
    auth_type: 'access_key',
    expires_at: new Date(Date.now() + (options.validity ?? 3600) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...options.payload,
  };
  return signPayload(JSON.stringify(payload), privateKey);
}

export function bearerHeaders(accessKey: string, token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'x-aspera-accesskey': accessKey };
}
