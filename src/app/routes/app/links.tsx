import { useSession } from '../../../features/auth/api/get-session';
import { LinksPage } from '../../../features/shares/components/links-page';

export function LinksRoute() {
  const session = useSession();
  const isAdmin = session.data?.status === 'signed-in' && session.data.session.user.isAdmin;
  return <LinksPage isAdmin={isAdmin} />;
}
