import type { Notification } from '../../../../contract/notifications';

/**
 * What the bell's live region says after a poll: the newest notice's subject when the unread count
 * went up and that notice is unread; nothing on the first load (`previous` null: the count is not
 * news then) or when notices were only read.
 */
export function arrivalAnnouncement(previous: number | null, unread: number, newest: Notification | undefined): string | null {
  if (previous === null || unread <= previous || !newest || newest.read) return null;
  return `New notification: ${newest.subject}`;
}
