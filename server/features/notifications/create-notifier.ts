import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { portalOrigin, type Config } from '../../config';
import type { Db } from '../../db/database';
import { ERRORS } from '../../errors';
import { createMailQueue } from './mail-queue';
import { createNotificationsRepository } from './notifications-repository';
import type { Notice, Notifier } from './notifier';

// Bounds that keep one notice a notice: a subject line, a few paragraphs.
const noticeSchema = z
  .object({
    userId: z.string().min(1).max(100).optional(),
    email: z.email().max(320).nullable().optional(),
    kind: z.string().min(1).max(100),
    subject: z.string().trim().min(1).max(200),
    text: z.string().max(10_000),
    // A path in the SPA ("/files/…", not "//host") or an http(s) URL: nothing a click could run.
    link: z
      .string()
      .max(2000)
      .refine((l) => /^\/(?!\/)/.test(l) || /^https?:\/\//i.test(l), 'must be a path starting with "/" or an http(s) URL')
      .optional(),
  })
  .refine((n) => n.userId !== undefined || n.email, 'names neither a user nor an email address');

/**
 * The notifier other features call. `notify` only writes rows (the bell's, the mail queue's) and
 * returns: delivery is the mail worker's, so a slow or absent SMTP server never slows the request
 * that caused the notice. `onQueued` wakes the worker in this process.
 */
export function createNotifier({
  db,
  config,
  log,
  onQueued,
}: {
  db: Db;
  config: Pick<Config, 'publicUrl' | 'port' | 'tlsCert'>;
  log?: Pick<FastifyBaseLogger, 'debug'>;
  onQueued?: () => void;
}): Notifier {
  const notifications = createNotificationsRepository(db);
  const queue = createMailQueue(db);
  const origin = portalOrigin(config);
  return {
    async notify(notice: Notice) {
      const parsed = noticeSchema.safeParse(notice);
      if (!parsed.success)
        throw ERRORS.Validation(
          `Invalid notice: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'notice'} ${i.message}`).join('; ')}`,
        );
      const n = parsed.data;
      const link = n.link ?? null;
      if (n.userId !== undefined) await notifications.insert({ userId: n.userId, kind: n.kind, subject: n.subject, text: n.text, link });
      if (n.email) {
        // A mail reader has no page to resolve a path against: the link goes out absolute.
        const mailLink = link?.startsWith('/') ? `${origin}${link}` : link;
        await queue.enqueue({ to: n.email, kind: n.kind, subject: n.subject, text: n.text, link: mailLink });
        onQueued?.();
      }
      // The kind and where it went, not the address or the words: the log is not a mail archive.
      log?.debug({ kind: n.kind, inApp: n.userId !== undefined, mail: Boolean(n.email) }, 'notice recorded');
    },
  };
}
