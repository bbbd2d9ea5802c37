/**
 * Bearer tokens as IBM's tools make them (docs/node-api.md §1.2): base64 of the zlib-deflated text
 * `<payload JSON>\n==SIGNATURE==\n<base64 RSA-SHA512 signature of the payload JSON, 60-char lines>\n`,
 * signed by the application's private key and verified with the access key's
 * `token_verification_key`. The payload names the user, their groups, the scope (this key, user
 * or admin) and the expiry.
 */
import { createVerify } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { z } from 'zod';
import { ERRORS } from '../errors';
import type { AccessKey } from './access-keys';

export const SIGNATURE_DELIMITER = '\n==SIGNATURE==\n';
// A token travels in a header (index.ts allows 256 KiB of them); its payload is a few hundred bytes.
const MAX_TOKEN_CHARS = 16 * 1024;
const MAX_PAYLOAD_BYTES = 64 * 1024;
const MAX_GROUPS = 1000;

const payloadSchema = z
  .object({
    user_id: z.string().min(1).max(256),
    group_ids: z.array(z.string().min(1).max(256)).max(MAX_GROUPS).optional(),
    scope: z.string(),
    auth_type: z.literal('access_key'),
    expires_at: z.string(),
  })
  .loose();

export interface BearerClaims {
  userId: string;
  groupIds: string[];
  /** `admin:all`: the token acts as the key itself, over all of its storage. */
  admin: boolean;
  expiresAtMs: number;
}

export function verifyBearerToken(token: string, key: AccessKey, nowMs = Date.now()): BearerClaims {
  if (!key.token_verification_key)
    throw ERRORS.unauthorized('This access key has no token_verification_key: bearer tokens are not accepted');
  if (token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9+/]+={0,2}$/.test(token)) throw ERRORS.unauthorized('Malformed bearer token');
  let text: string;
  try {
    text = inflateSync(Buffer.from(token, 'base64'), { maxOutputLength: MAX_PAYLOAD_BYTES }).toString('utf8');
  } catch {
    throw ERRORS.unauthorized('Malformed bearer token');
  }
  const at = text.indexOf(SIGNATURE_DELIMITER);
  if (at < 0) throw ERRORS.unauthorized('Malformed bearer token: no signature');
  const payloadJson = text.slice(0, at);
  const signature = Buffer.from(text.slice(at + SIGNATURE_DELIMITER.length).replace(/\n/g, ''), 'base64');
  const verifier = createVerify('sha512');
  verifier.update(payloadJson);
  if (!verifier.verify(key.token_verification_key, signature)) throw ERRORS.unauthorized('The bearer token signature does not verify');
  let payload: z.infer<typeof payloadSchema>;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(payloadJson));
    if (!parsed.success) throw new Error(parsed.error.issues[0]?.message);
    payload = parsed.data;
  } catch (err) {
    throw ERRORS.unauthorized(`Invalid bearer token payload: ${(err as Error).message}`);
  }
  const expires = Date.parse(payload.expires_at);
  if (Number.isNaN(expires)) throw ERRORS.unauthorized('Invalid bearer token payload: expires_at is not a date');
  if (expires <= nowMs) throw ERRORS.unauthorized('The bearer token has expired');
  const prefix = `node.${key.id}:`;
  const scope = payload.scope.startsWith(prefix) ? payload.scope.slice(prefix.length) : null;
  if (scope !== 'user:all' && scope !== 'admin:all') throw ERRORS.unauthorized('The bearer token is not for this access key');
  return { userId: payload.user_id, groupIds: payload.group_ids ?? [], admin: scope === 'admin:all', expiresAtMs: expires };
}
