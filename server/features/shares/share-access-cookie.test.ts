import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createShareAccessCookies, SHARE_ACCESS_SECONDS } from './share-access-cookie';

describe('share access cookies', () => {
  const cookies = createShareAccessCookies(randomBytes(32));
  const now = Date.UTC(2026, 11, 1, 20, 0);
  const value = cookies.issue('link-a', 'scrypt$hash-1', now);

  it('opens the link it was given for, until it ends', () => {
    expect(cookies.valid(value, 'link-a', 'scrypt$hash-1', now + 1000)).toBe(true);
    expect(cookies.valid(value, 'link-a', 'scrypt$hash-1', now + SHARE_ACCESS_SECONDS * 1000)).toBe(false);
  });

  it('opens no other link, none after the password changed, and nothing with another key or a changed expiry', () => {
    expect(cookies.valid(value, 'link-b', 'scrypt$hash-1', now)).toBe(false);
    expect(cookies.valid(value, 'link-a', 'scrypt$hash-2', now)).toBe(false);
    expect(createShareAccessCookies(randomBytes(32)).valid(value, 'link-a', 'scrypt$hash-1', now)).toBe(false);
    const [, mac] = value.split('.');
    expect(cookies.valid(`${now + 10 * SHARE_ACCESS_SECONDS * 1000}.${mac}`, 'link-a', 'scrypt$hash-1', now)).toBe(false);
    for (const junk of [undefined, '', '.', 'abc', `${now + 1000}.`])
      expect(cookies.valid(junk, 'link-a', 'scrypt$hash-1', now)).toBe(false);
  });
});
