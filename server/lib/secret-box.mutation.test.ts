import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box';

// Cases Stryker found untested (docs/reliability.md). The box is made inside each test: a mutant
// that throws while secret-box.test.ts is imported leaves that file without results, which
// Stryker's Vitest runner counts as survived.
describe('secret box, stored values that are not sealed secrets', () => {
  it('takes a 32-byte key and only that', () => {
    const box = createSecretBox(randomBytes(32));
    expect(box.open(box.seal('x'))).toBe('x');
    expect(() => createSecretBox(randomBytes(31))).toThrow('the secret key must be 32 bytes');
    expect(() => createSecretBox(randomBytes(33))).toThrow('the secret key must be 32 bytes');
  });

  it('refuses a value of another format or version before any decryption', () => {
    const box = createSecretBox(randomBytes(32));
    const [, iv, tag, sealed] = box.seal('secret').split('.') as [string, string, string, string];
    for (const value of ['secret', `v2.${iv}.${tag}.${sealed}`, `v1..${tag}.${sealed}`, `v1.${iv}..${sealed}`, `v1.${iv}.${tag}`]) {
      expect(() => box.open(value), value).toThrow('not a sealed secret');
    }
  });

  it('seals and opens an empty secret', () => {
    const box = createSecretBox(randomBytes(32));
    expect(box.open(box.seal(''))).toBe('');
  });
});
