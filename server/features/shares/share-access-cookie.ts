import { createHmac, timingSafeEqual } from 'node:crypto';

export const SHARE_ACCESS_COOKIE = 'courier_share_access';
// An unlocked link stays open this long in that browser: a page visit and its downloads, not a week.
export const SHARE_ACCESS_SECONDS = 3600;

/**
 * Proof that this browser gave a link's password (docs/sharing.md §4): the expiry and an HMAC over
 * the link id, the expiry and the link's current password hash, so it opens that link only, ends on
 * its own, and ends at once when the password changes or is cleared and set again.
 */
export function createShareAccessCookies(secretKey: Buffer) {
  const key = createHmac('sha256', secretKey).update('courier share access v1').digest();
  const sign = (shareId: string, expires: number, passwordHash: string) =>
    createHmac('sha256', key).update(`${shareId}\n${expires}\n${passwordHash}`).digest('base64url');

  return {
    issue(shareId: string, passwordHash: string, now = Date.now()): string {
      const expires = now + SHARE_ACCESS_SECONDS * 1000;
      return `${expires}.${sign(shareId, expires, passwordHash)}`;
    },
    valid(value: string | undefined, shareId: string, passwordHash: string, now = Date.now()): boolean {
      const [expiresText, mac] = (value ?? '').split('.');
      const expires = Number(expiresText);
      if (!mac || !Number.isSafeInteger(expires) || expires <= now) return false;
      const expected = Buffer.from(sign(shareId, expires, passwordHash));
      const given = Buffer.from(mac);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

export type ShareAccessCookies = ReturnType<typeof createShareAccessCookies>;
