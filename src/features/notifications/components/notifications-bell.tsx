import { Button, HeaderGlobalAction, HeaderPanel, InlineNotification } from '@carbon/react';
import { Notification as BellIcon } from '@carbon/icons-react';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { Notification } from '../../../../contract/notifications';
import { useDismiss } from '../../../hooks/use-dismiss';
import { useNotifications } from '../api/get-notifications';
import { useMarkRead } from '../api/mark-read';
import { arrivalAnnouncement } from '../lib/arrival-announcement';
import { NotificationItem } from './notification-item';

const PAGE = 20;

/** The bell's accessible name: what a screen reader says on the button. */
export function bellLabel(unread: number): string {
  return unread === 0 ? 'Notifications, none unread' : `Notifications, ${unread} unread`;
}

/**
 * The header's bell: the unread count, and a panel of the latest notifications. Opening one marks
 * it read and follows its link; Escape or a click elsewhere closes the panel.
 */
export function NotificationsBell() {
  const [open, setOpen] = useState(false);
  const [limit, setLimit] = useState(PAGE);
  const panelId = useId();
  const toggleRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const navigate = useNavigate();
  const query = useNotifications(limit);
  const markRead = useMarkRead();
  const unread = query.data?.unread ?? 0;
  const announcement = useNewArrivalAnnouncement(unread, query.data?.notifications[0]);

  const refs = useMemo(() => [toggleRef, panelRef], []);
  const dismiss = useCallback((reason: 'escape' | 'outside') => {
    setOpen(false);
    if (reason === 'escape') toggleRef.current?.focus();
  }, []);
  useDismiss(open, refs, dismiss);
  useEffect(() => {
    if (open) headingRef.current?.focus();
  }, [open]);

  const openNotification = (notification: Notification) => {
    if (!notification.read) markRead.mutate({ ids: [notification.id] });
    setOpen(false);
    const link = notification.link;
    if (!link) return toggleRef.current?.focus();
    if (link.startsWith('/')) void navigate(link);
    else window.open(link, '_blank', 'noopener,noreferrer');
  };

  const notifications = query.data?.notifications ?? [];
  return (
    <>
      <HeaderGlobalAction
        ref={toggleRef}
        aria-label={bellLabel(unread)}
        aria-expanded={open}
        aria-controls={panelId}
        isActive={open}
        tooltipAlignment="end"
        className="courier-bell"
        onClick={() => setOpen((value) => !value)}
      >
        <BellIcon size={20} />
        {unread > 0 ? (
          <span className="courier-bell__count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </HeaderGlobalAction>
      <span role="status" className="cds--visually-hidden">
        {announcement}
      </span>
      <HeaderPanel ref={panelRef} expanded={open} addFocusListeners={false} className="courier-notifications">
        <section id={panelId} hidden={!open} className="courier-notifications__body" aria-labelledby={`${panelId}-title`}>
          <div className="courier-notifications__head">
            <h2 id={`${panelId}-title`} ref={headingRef} tabIndex={-1} className="courier-notifications__title">
              Notifications
            </h2>
            {unread > 0 ? (
              <Button kind="ghost" size="sm" disabled={markRead.isPending} onClick={() => markRead.mutate({ all: true })}>
                Mark all read
              </Button>
            ) : null}
          </div>
          {query.isError ? (
            <InlineNotification
              kind="error"
              role="alert"
              lowContrast
              hideCloseButton
              title="Notifications could not be loaded."
              subtitle={query.error.message}
            />
          ) : null}
          {query.isSuccess && notifications.length === 0 ? (
            <p className="courier-notifications__empty">Nothing yet. Downloads of your links and files sent to you show up here.</p>
          ) : null}
          {notifications.length > 0 ? (
            <ul className="courier-notifications__list" aria-label={`${query.data?.total ?? 0} notifications, ${unread} unread`}>
              {notifications.map((n) => (
                <li key={n.id}>
                  <NotificationItem notification={n} onOpen={openNotification} />
                </li>
              ))}
            </ul>
          ) : null}
          {query.data && query.data.total > notifications.length ? (
            <Button kind="ghost" size="sm" disabled={query.isFetching} onClick={() => setLimit((l) => l + PAGE)}>
              Show more
            </Button>
          ) : null}
        </section>
      </HeaderPanel>
    </>
  );
}

/** Says a new notification's subject once, when the unread count goes up (not on the first load). */
function useNewArrivalAnnouncement(unread: number, newest: Notification | undefined): string {
  const previous = useRef<number | null>(null);
  const [text, setText] = useState('');
  useEffect(() => {
    const said = arrivalAnnouncement(previous.current, unread, newest);
    if (said) setText(said);
    previous.current = unread;
  }, [unread, newest]);
  return text;
}
