import { AdminNodesPage } from '../../../features/admin-infra/components/admin-nodes-page';

export function AdminNodesRoute() {
  return <AdminNodesPage />;
}
