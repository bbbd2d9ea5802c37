/**
 * A3 bearer tokens as IBM's aspera-cli makes them (docs/node-api.md §1.2): base64 of the
 * zlib-deflated text `<payload JSON>\n==SIGNATURE==\n<base64 RSA-SHA512 signature, 60-char lines>\n`,
 * signed with the application's private key; the node verifies it with the access key's
 * `token_verification_key`. The portal's key pair per node is made here too.
 */
import { createPrivateKey, createSign, generateKeyPairSync } from 'node:crypto';
import { deflateSync } from 'node:zlib';

export interface BearerTokenClaims {
  accessKey: string;
  userId: string;
  groupIds?: string[];
  /** `user:all`: held to the user's permissions; `admin:all`: acts as the key (docs/node-api.md §1.2). */
  scope: 'user:all' | 'admin:all';
  /** Life from `nowMs`, in seconds. */
  lifeSeconds: number;
}

/** A fresh RSA key pair (2048 bits, as ascli's default): the private key to seal, the public one for the node. */
export function generateTokenKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function signBearerToken(privatePem: string, claims: BearerTokenClaims, nowMs = Date.now()): string {
  const payload = JSON.stringify({
    user_id: claims.userId,
    ...(claims.groupIds && claims.groupIds.length > 0 ? { group_ids: claims.groupIds } : {}),
    scope: `node.${claims.accessKey}:${claims.scope}`,
    auth_type: 'access_key',
    // ISO 8601 UTC without milliseconds, as ascli writes it.
    expires_at: new Date(nowMs + claims.lifeSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
  const signature = createSign('sha512').update(payload).sign(createPrivateKey(privatePem)).toString('base64');
  const text = `${payload}\n==SIGNATURE==\n${(signature.match(/.{1,60}/g) ?? []).join('\n')}\n`;
  return deflateSync(Buffer.from(text, 'utf8')).toString('base64');
}
