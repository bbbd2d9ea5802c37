import { useParams } from 'react-router';
import { useSession } from '../../../features/auth/api/get-session';
import { RequestsPage } from '../../../features/requests/components/requests-page';

export function RequestsRoute() {
  const { requestId } = useParams();
  const session = useSession();
  const isAdmin = session.data?.status === 'signed-in' && session.data.session.user.isAdmin;
  return <RequestsPage openRequestId={requestId ?? null} isAdmin={isAdmin} />;
}
