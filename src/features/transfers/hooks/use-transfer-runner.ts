import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createHttpGatewayClient } from '../../../transfer-clients';
import { createTransferRunner, type TransferRunner } from '../lib/transfer-runner';

let runner: TransferRunner | null = null;

/** One runner per page: transfers outlive the component that started them. */
export function getTransferRunner(queryClient: QueryClient): TransferRunner {
  runner ??= createTransferRunner(queryClient, createHttpGatewayClient());
  return runner;
}

export function useTransferRunner(): TransferRunner {
  return getTransferRunner(useQueryClient());
}
