import { AdminSpacesPage } from '../../../features/admin-infra/components/admin-spaces-page';

export function AdminSpacesRoute() {
  return <AdminSpacesPage />;
}
