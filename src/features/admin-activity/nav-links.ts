/** The admin sub-navigation's links to this feature's pages, one a line. */
export const ADMIN_ACTIVITY_LINKS = [
  { to: '/admin/audit', label: 'Audit log' },
  { to: '/admin/transfers', label: 'Transfers' },
  { to: '/admin/settings', label: 'Settings' },
] as const;
