import { RequestsPage } from '../../../features/requests/components/requests-page';

export function RequestsRoute() {
  return <RequestsPage />;
}
