import { createTransferRunner } from '../features/transfers/engine/transfer-runner';
import { createHttpGatewayClient } from '../transfer-clients';
import { queryClient } from './query-client';

/**
 * The page's one transfer runner, made here like its one QueryClient and handed to
 * TransferEngineProvider: transfers outlive the pages that start them (and a logout and login in
 * the same page), and Desktop's SDK is set up once per page. Loaded with the pages behind the login.
 */
export const transferRunner = createTransferRunner(queryClient, createHttpGatewayClient());
