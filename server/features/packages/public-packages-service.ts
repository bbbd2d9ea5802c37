import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import {
  PACKAGE_CODE_DIGITS,
  PACKAGE_CODE_RESEND_SECONDS,
  PACKAGE_CODE_SECONDS,
  PACKAGE_CODE_TRIES,
  PACKAGE_CODES_PER_DAY,
  type PublicPackage,
} from '../../../contract/packages';
import type { PublicDownload } from '../../../contract/shares';
import type { User } from '../../../contract/session';
import { ERRORS } from '../../errors';
import type { AuditLog } from '../audit/audit-log';
import type { LoginThrottleRepository } from '../auth/login-throttle-repository';
import type { Notifier } from '../notifications/notifier';
import type { ShareAccessCookies } from '../shares/share-access-cookie';
import type { SharePasswordThrottle } from '../shares/share-password-throttle';
import type { ListedPackage, PackagesRepository, RecipientRow } from './packages-repository';
import { packageLinkHash, type PackagesService } from './packages-service';

const DAY_MS = 86_400_000;

/** Who is asking on a personal link: an address, a browser, the link's access cookie. */
export interface PackageVisitor {
  ip: string;
  userAgent: string | undefined;
  accessCookie: string | undefined;
}

/**
 * An external recipient's personal link (docs/packages.md §7). Scanner-safe as share links are
 * (docs/sharing.md §5): reading the page changes nothing; only a person's POST (the code, a download
 * request) marks the package opened, and only the node's report of a completed transfer counts it
 * downloaded. With `require_code`, a one-time code sent to the address unlocks the link in that
 * browser (the share links' access cookie, keyed to this recipient and link).
 */
export function createPublicPackagesService(deps: {
  packages: PackagesRepository;
  service: PackagesService;
  audit: AuditLog;
  notifier: Notifier;
  throttle: SharePasswordThrottle;
  cookies: ShareAccessCookies;
  /** The login throttle's counters, shared by every instance: the codes a link asked for today. */
  counters: Pick<LoginThrottleRepository, 'reserve' | 'find'>;
  secretKey: Buffer;
}) {
  const { packages, service, audit, notifier, throttle, cookies, counters } = deps;
  const codeKey = createHmac('sha256', deps.secretKey).update('courier package code v1').digest();
  // Keyed and bound to the recipient: a leaked table row does not give a six-digit code away by a lookup.
  const codeHash = (recipientId: string, code: string) =>
    createHmac('sha256', codeKey).update(`${recipientId}\n${code}`).digest('base64url');
  const cookieSubject = (r: RecipientRow) => `package:${r.id}`;

  const record = (
    row: ListedPackage,
    r: RecipientRow,
    action: string,
    decision: 'allow' | 'deny',
    visitor: PackageVisitor,
    reason: string,
  ) =>
    audit.record({
      userId: null,
      action,
      target: `package ${row.id}: ${r.email ?? 'external recipient'}`,
      decision,
      reason: `${reason}; from ${visitor.ip}`,
    });

  /** The recipient and package of a link; 404 for an unknown link and for a package recalled or never ready. */
  async function resolve(secret: string): Promise<{ recipient: RecipientRow; row: ListedPackage }> {
    const recipient = await packages.recipientByLink(packageLinkHash(secret));
    const row = recipient ? await packages.find(recipient.package_id) : undefined;
    if (!recipient || !row || (row.status !== 'ready' && row.status !== 'expired')) throw ERRORS.NotFound('This package');
    return { recipient, row };
  }

  const unlocked = (row: ListedPackage, r: RecipientRow, visitor: PackageVisitor) =>
    row.require_code !== 1 || (r.link_hash != null && cookies.valid(visitor.accessCookie, cookieSubject(r), r.link_hash));

  async function markOpened(r: RecipientRow): Promise<void> {
    if (r.opened_at === null) await packages.updateRecipient(r.id, { opened_at: Date.now() });
  }

  return {
    /** The page's view. A GET: it changes nothing, so a mail scanner fetching it leaves no receipt. */
    async open(secret: string, visitor: PackageVisitor): Promise<PublicPackage> {
      const { recipient, row } = await resolve(secret);
      const open = unlocked(row, recipient, visitor);
      return {
        subject: row.subject,
        message: row.message,
        senderName: row.sender_name,
        recipient: recipient.email ?? '',
        status: row.status === 'expired' ? 'expired' : 'ready',
        expiresAt: new Date(row.expires_at).toISOString(),
        fileCount: row.file_count,
        bytes: row.bytes,
        codeRequired: row.require_code === 1,
        unlocked: open,
        files: open && row.status === 'ready' ? (JSON.parse(row.files_json) as Array<{ path: string; size: number }>) : [],
      };
    },

    /** Sends a fresh one-time code to the link's address; at most one a minute. */
    async sendCode(secret: string, visitor: PackageVisitor, now = Date.now()): Promise<{ sentTo: string; expiresInSeconds: number }> {
      const { recipient, row } = await resolve(secret);
      if (row.require_code !== 1) throw ERRORS.BadRequest('This package needs no code.');
      if (row.status !== 'ready') throw ERRORS.Conflict('This package has expired; its files are gone.');
      const wait = (recipient.code_sent_at ?? 0) + PACKAGE_CODE_RESEND_SECONDS * 1000 - now;
      if (wait > 0) throw ERRORS.PackageCodeWait(Math.ceil(wait / 1000));
      // Its own key prefix keeps the counter out of the admin's login-lock list.
      const key = `package-codes:${recipient.id}`;
      if (!(await counters.reserve(key, PACKAGE_CODES_PER_DAY, DAY_MS, 0, now))) {
        const since = (await counters.find(key))?.window_started_at ?? now;
        await record(row, recipient, 'package-code-sent', 'deny', visitor, `more than ${PACKAGE_CODES_PER_DAY} codes in a day`);
        throw ERRORS.PackageCodesUsedUp(Math.max(1, Math.ceil((since + DAY_MS - now) / 1000)));
      }
      const code = String(randomInt(0, 10 ** PACKAGE_CODE_DIGITS)).padStart(PACKAGE_CODE_DIGITS, '0');
      await packages.updateRecipient(recipient.id, {
        code_hash: codeHash(recipient.id, code),
        code_expires_at: now + PACKAGE_CODE_SECONDS * 1000,
        code_attempts: 0,
        code_sent_at: now,
      });
      const email = recipient.email ?? '';
      await notifier.notify({
        email,
        kind: 'package.code',
        // Not in the subject: the admin's mail page lists subjects (docs/packages.md §7).
        subject: `Your one-time code for “${row.subject}”`,
        text: [
          `Your one-time code for the package “${row.subject}” from ${row.sender_name} is ${code}.`,
          `It works for ${PACKAGE_CODE_SECONDS / 60} minutes, in the browser that asked for it.`,
          'If you did not ask for it, ignore this message: nobody can download without the code.',
        ].join('\n'),
      });
      await record(row, recipient, 'package-code-sent', 'allow', visitor, 'one-time code sent');
      return { sentTo: maskAddress(email), expiresInSeconds: PACKAGE_CODE_SECONDS };
    },

    /**
     * Checks a code: five tries per code (then a new one must be asked for), and the share links'
     * throttle per link and address on top. Answers the access cookie's value.
     */
    async unlock(secret: string, code: string, visitor: PackageVisitor, now = Date.now()): Promise<string> {
      const { recipient, row } = await resolve(secret);
      if (row.require_code !== 1) throw ERRORS.BadRequest('This package needs no code.');
      const reserved = await throttle.reserve(cookieSubject(recipient), visitor.ip, now);
      if ('retryAfterSeconds' in reserved) {
        await record(row, recipient, 'package-unlock', 'deny', visitor, 'too many wrong codes');
        throw ERRORS.SharePasswordAttempts(reserved.retryAfterSeconds);
      }
      if (!(await packages.takeCodeTry(recipient.id, PACKAGE_CODE_TRIES))) {
        await reserved.cancel();
        await record(row, recipient, 'package-unlock', 'deny', visitor, 'no code to try');
        throw ERRORS.PackageCodeWrong(0);
      }
      const expected = Buffer.from(recipient.code_hash ?? '');
      const given = Buffer.from(codeHash(recipient.id, code.replace(/\s+/g, '')));
      const right = (recipient.code_expires_at ?? 0) > now && expected.length === given.length && timingSafeEqual(expected, given);
      if (!right) {
        await reserved.failed();
        await record(row, recipient, 'package-unlock', 'deny', visitor, 'wrong or expired code');
        throw ERRORS.PackageCodeWrong(Math.max(0, PACKAGE_CODE_TRIES - (recipient.code_attempts ?? 0) - 1));
      }
      await reserved.succeeded();
      // One time: the code is spent.
      await packages.updateRecipient(recipient.id, { code_hash: null, code_expires_at: null });
      await markOpened(recipient);
      await record(row, recipient, 'package-unlock', 'allow', visitor, 'one-time code given');
      return cookies.issue(cookieSubject(recipient), recipient.link_hash ?? '', now);
    },

    /** A download's spec, recorded as the sender's transfer and named for this recipient (their receipt). */
    async download(secret: string, request: { paths: string[] }, visitor: PackageVisitor): Promise<PublicDownload> {
      const { recipient, row } = await resolve(secret);
      if (!unlocked(row, recipient, visitor)) throw ERRORS.PackageCodeRequired();
      // The sender's transfer, as a share link's download is the sharer's: only the id is recorded.
      const sender: User = { id: row.sender_user_id, username: '', displayName: row.sender_name, isAdmin: false };
      const { response, whole, wanted } = await service.authorizeDownload(sender, row, { paths: request.paths, client: 'http-gateway' });
      await packages.insertDownload({
        transfer_id: response.transfer.id,
        package_id: row.id,
        recipient_id: recipient.id,
        source_address: visitor.ip,
        created_at: Date.now(),
      });
      await markOpened(recipient);
      await record(
        row,
        recipient,
        'package-download',
        'allow',
        visitor,
        `download ${whole ? 'of all files' : `of ${wanted.join(', ')}`} authorized`,
      );
      return {
        transferId: response.transfer.id,
        transferSpec: response.transferSpec,
        clients: response.clients,
        tokenLifeSeconds: response.tokenLifeSeconds,
      };
    },
  };
}

export type PublicPackagesService = ReturnType<typeof createPublicPackagesService>;

/** `guest@example.org` → `g****@example.org`: enough to recognise, not to harvest. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}${'*'.repeat(Math.max(3, at - 1))}${address.slice(at)}`;
}
