import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box';

const key = randomBytes(32);
const box = createSecretBox(key);
const secret = 'node-password-Zq9 ünïcode';

describe('secret box (AES-256-GCM)', () => {
  it('seals to something that neither is nor contains the secret, differently each time, and opens back', () => {
    const sealed = box.seal(secret);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain(Buffer.from(secret).toString('base64url'));
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(box.seal(secret)).not.toBe(sealed);
    expect(box.open(sealed)).toBe(secret);
  });

  it('opens only with its own key', () => {
    expect(() => createSecretBox(randomBytes(32)).open(box.seal(secret))).toThrow();
  });

  it('refuses a sealed secret whose ciphertext, tag or nonce was changed (it is authenticated)', () => {
    const [version, iv, tag, sealed] = box.seal(secret).split('.') as [string, string, string, string];
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    for (const tampered of [
      [version, iv, tag, flip(sealed)],
      [version, iv, flip(tag), sealed],
      [version, flip(iv), tag, sealed],
    ]) {
      expect(() => box.open(tampered.join('.'))).toThrow();
    }
    expect(() => box.open(secret)).toThrow('not a sealed secret');
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow();
  });
});
