import { useParams } from 'react-router';
import { PublicSharePage } from '../../../features/shares/components/public-share-page';

/** `/s/:linkId`, outside the login guard: no session is read or needed. */
export function PublicShareRoute() {
  return <PublicSharePage linkId={useParams().linkId ?? ''} />;
}
