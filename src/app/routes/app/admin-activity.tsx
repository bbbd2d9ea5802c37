import { AdminTransfersPage } from '../../../features/admin-activity/components/admin-transfers-page';
import { AuditPage } from '../../../features/admin-activity/components/audit-page';
import { MailPage } from '../../../features/admin-activity/components/mail-page';
import { SettingsPage } from '../../../features/admin-activity/components/settings-page';
import { TransferRow } from '../../../features/transfers/components/transfer-row';

export function AdminAuditRoute() {
  return <AuditPage />;
}

// The Transfers page's own row: the app composes the two features, which do not import each other.
export function AdminTransfersRoute() {
  return <AdminTransfersPage renderRow={(record) => <TransferRow record={record} />} />;
}

export function AdminSettingsRoute() {
  return <SettingsPage />;
}

export function AdminMailRoute() {
  return <MailPage />;
}
