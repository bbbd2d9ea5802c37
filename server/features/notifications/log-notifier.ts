import type { FastifyBaseLogger } from 'fastify';
import type { Notice, Notifier } from './notifier';

/**
 * A Notifier that only writes each notice to the log, until the notification service (issue 14)
 * takes its place in server/app.ts. The text never carries a password or token (notifier.ts), and
 * the email address is left out of the log line.
 */
export function createLogNotifier(log: Pick<FastifyBaseLogger, 'info'>): Notifier {
  return {
    async notify(notice: Notice): Promise<void> {
      log.info({ notice: { kind: notice.kind, userId: notice.userId, subject: notice.subject, link: notice.link } }, 'notification');
    },
  };
}
