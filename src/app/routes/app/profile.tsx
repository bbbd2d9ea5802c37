import { useSession } from '../../../features/auth/api/get-session';
import { ProfilePage } from '../../../features/profile/components/profile-page';

export function ProfileRoute() {
  const session = useSession();
  // Behind RequireSession: signed in whenever this renders.
  return session.data?.status === 'signed-in' ? <ProfilePage user={session.data.session.user} /> : null;
}
