/**
 * AES-256-GCM sealing of small JSON payloads under the node's key. The key id (first 8 bytes of
 * SHA-256 of the key) travels in clear and is bound as associated data, so a token from another
 * node is told apart from a tampered one without weakening either check.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ERRORS } from '../errors';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_BYTES = 8;

export class SealedBox {
  private readonly keyId: Buffer;

  constructor(
    private readonly key: Buffer,
    private readonly purpose: string,
  ) {
    if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key');
    this.keyId = createHash('sha256').update(key).digest().subarray(0, KEY_ID_BYTES);
  }

  seal(payload: unknown): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.concat([Buffer.from(this.purpose), this.keyId]));
    const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
    return Buffer.concat([this.keyId, iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  open(sealed: string): unknown {
    if (!/^[A-Za-z0-9_-]+$/.test(sealed)) throw ERRORS.tokenInvalid('Token is malformed');
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length < KEY_ID_BYTES + IV_BYTES + TAG_BYTES + 2) throw ERRORS.tokenInvalid('Token is malformed');
    const keyId = raw.subarray(0, KEY_ID_BYTES);
    if (!keyId.equals(this.keyId)) throw ERRORS.tokenInvalid('Token was issued by another node');
    const iv = raw.subarray(KEY_ID_BYTES, KEY_ID_BYTES + IV_BYTES);
    const tag = raw.subarray(KEY_ID_BYTES + IV_BYTES, KEY_ID_BYTES + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.concat([Buffer.from(this.purpose), this.keyId]));
    decipher.setAuthTag(tag);
    try {
      const plain = Buffer.concat([decipher.update(raw.subarray(KEY_ID_BYTES + IV_BYTES + TAG_BYTES)), decipher.final()]);
      return JSON.parse(plain.toString('utf8'));
    } catch {
      throw ERRORS.tokenInvalid('Token is invalid or has been tampered with');
    }
  }
}
