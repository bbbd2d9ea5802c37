import { useParams } from 'react-router';
import { RequestsPage } from '../../../features/requests/components/requests-page';

export function RequestsRoute() {
  const { requestId } = useParams();
  return <RequestsPage openRequestId={requestId ?? null} />;
}
