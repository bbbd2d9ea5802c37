// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Notification } from '../../../../contract/notifications';
import { click, render, type Rendered } from '../../../testing/render';
import { NotificationItem } from './notification-item';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

const base: Notification = {
  id: 'n1',
  kind: 'request.submitted',
  subject: 'Ana sent 3 files',
  text: 'Ana sent 3 files to “Invoices”.',
  link: '/files',
  createdAt: '2026-12-01T20:00:00.000Z',
  read: false,
};

describe('NotificationItem', () => {
  it('names an unread notice as unread, with its subject and detail, and opens it on click', () => {
    const onOpen = vi.fn();
    view = render(<NotificationItem notification={base} onOpen={onOpen} />);
    const button = view.container.querySelector('button')!;
    expect(button.textContent).toContain('Unread: Ana sent 3 files');
    expect(button.textContent).toContain('Ana sent 3 files to “Invoices”.');
    expect(button.querySelector('time')?.getAttribute('datetime')).toBe(base.createdAt);
    click(button);
    expect(onOpen).toHaveBeenCalledWith(base);
  });

  it('drops the unread mark once read, and a detail that only repeats the subject', () => {
    view = render(<NotificationItem notification={{ ...base, read: true, text: base.subject }} onOpen={vi.fn()} />);
    const button = view.container.querySelector('button')!;
    expect(button.textContent).not.toContain('Unread');
    expect(button.querySelectorAll('.courier-notification__text')).toHaveLength(0);
  });
});
