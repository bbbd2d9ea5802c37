import { Navigate, useSearchParams } from 'react-router';
import { BootScreen } from '../../components/layout/boot-screen';
import { LoginPage } from '../../features/auth/components/login-page';
import { useSession } from '../../features/auth/api/get-session';
import { getReturnPath } from '../../features/auth/lib/return-path';

export function LoginRoute() {
  const [searchParams] = useSearchParams();
  const session = useSession();
  const returnPath = getReturnPath(searchParams.get('next'));

  if (session.data?.status === 'signed-in') return <Navigate to={returnPath} replace />;
  // A failed "who am I?" is no reason to hide the form: logging in asks the server again.
  if (session.isPending) return <BootScreen />;

  // Logging in puts the session in the cache, and the redirect above takes the user back.
  return <LoginPage reason={session.data?.status === 'signed-out' ? session.data.reason : 'anonymous'} />;
}
