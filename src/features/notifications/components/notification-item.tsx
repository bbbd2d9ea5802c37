import type { Notification } from '../../../../contract/notifications';

/** One notification in the bell's panel: a button that opens it (its subject, detail and time). */
export function NotificationItem({ notification, onOpen }: { notification: Notification; onOpen: (n: Notification) => void }) {
  const when = new Date(notification.createdAt);
  return (
    <button
      type="button"
      className={`courier-notification${notification.read ? '' : ' courier-notification--unread'}`}
      onClick={() => onOpen(notification)}
    >
      <span className="courier-notification__subject">
        {notification.read ? null : <span className="cds--visually-hidden">Unread: </span>}
        {notification.subject}
      </span>
      {notification.text && notification.text !== notification.subject ? (
        <span className="courier-notification__text">{notification.text}</span>
      ) : null}
      <time className="courier-notification__time" dateTime={notification.createdAt}>
        {when.toLocaleString()}
      </time>
    </button>
  );
}
