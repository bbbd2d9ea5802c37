import { LinksPage } from '../../../features/shares/components/links-page';

export function LinksRoute() {
  return <LinksPage />;
}
