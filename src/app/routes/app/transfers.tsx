import { TransfersPage } from '../../../features/transfers/components/transfers-page';

export function TransfersRoute() {
  return <TransfersPage />;
}
