import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../../contract/notifications';
import { arrivalAnnouncement } from './arrival-announcement';

const notice = (read: boolean): Notification => ({
  id: 'n1',
  kind: 'share.downloaded',
  subject: 'Bo downloaded report.pdf',
  text: '',
  link: null,
  createdAt: '2026-12-01T20:00:00.000Z',
  read,
});

describe('arrivalAnnouncement', () => {
  it('says the newest subject when the unread count rises', () => {
    expect(arrivalAnnouncement(2, 3, notice(false))).toBe('New notification: Bo downloaded report.pdf');
  });

  it('says nothing on the first load, when notices were read, or when the count stays', () => {
    expect(arrivalAnnouncement(null, 3, notice(false))).toBeNull();
    expect(arrivalAnnouncement(3, 2, notice(false))).toBeNull();
    expect(arrivalAnnouncement(3, 3, notice(false))).toBeNull();
    expect(arrivalAnnouncement(2, 3, notice(true))).toBeNull();
    expect(arrivalAnnouncement(2, 3, undefined)).toBeNull();
  });
});
