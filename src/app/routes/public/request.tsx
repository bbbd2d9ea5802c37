import { useParams } from 'react-router';
import { GuestRequestPage } from '../../../features/requests/components/guest-request-page';

/** `/r/:requestId`: a file request's guest page, outside the login (docs/architecture.md §4.1). */
export function GuestRequestRoute() {
  const requestId = useParams().requestId ?? '';
  return <GuestRequestPage requestId={requestId} />;
}
