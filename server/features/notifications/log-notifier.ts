import type { FastifyBaseLogger } from 'fastify';
import type { Notice, Notifier } from './notifier';

/**
 * A Notifier that only writes each notice to the log, until the notification service (email and
 * the in-app bell) replaces it in server/app.ts. The recipient's address is left out: a log is
 * read by more people than the mail.
 */
export function createLogNotifier(log: FastifyBaseLogger): Notifier {
  return {
    async notify(notice: Notice): Promise<void> {
      log.info({ notice: { kind: notice.kind, userId: notice.userId, subject: notice.subject, link: notice.link } }, 'notification');
    },
  };
}
