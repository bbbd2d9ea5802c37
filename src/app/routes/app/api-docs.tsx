import { ApiReferencePage } from '../../../features/api-docs/components/api-reference-page';

export function ApiDocsRoute() {
  return <ApiReferencePage />;
}
