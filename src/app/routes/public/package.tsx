import { useParams } from 'react-router';
import { PublicPackagePage } from '../../../features/packages/components/public-package-page';

/** `/p/:link`: an external recipient's package page, outside the login (docs/architecture.md §4.1). */
export function PublicPackageRoute() {
  return <PublicPackagePage link={useParams().link ?? ''} />;
}
