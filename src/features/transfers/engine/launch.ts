import type { CreateTransferResponse } from '../../../../contract/transfers';
import { chooseClient, type TransferClientEvent } from '../../../transfer-clients';
import { upsertTransferRecord } from '../api/get-transfers';
import { store, type EngineState, type StartedTransfer } from './engine-state';
import type { TransferStart } from './transfer-start';

/**
 * Hands an authorized transfer to the client that carries it (chooseClient decides which, from the
 * portal's clients, Desktop's availability, the person's preference and where the files are), or
 * fails it with the reason none can. Failures go through `onEvent` like any client's.
 */
export async function launch(
  engine: EngineState,
  onEvent: (event: TransferClientEvent) => void,
  response: CreateTransferResponse,
  start: TransferStart,
): Promise<void> {
  const { transfer } = response;
  if (transfer.spaceId !== null)
    engine.desktopBySpace.set(
      transfer.spaceId,
      response.clients.some((c) => c.type === 'desktop'),
    );
  upsertTransferRecord(engine.queryClient, transfer);
  const started: StartedTransfer = {
    spaceId: transfer.spaceId,
    title: transfer.title,
    start,
    client: null,
    reportedRunning: false,
    quarter: 0,
    ended: false,
  };
  engine.started.set(transfer.id, started);
  const fail = (message: string, code = 'CLIENT_UNAVAILABLE') =>
    onEvent({ transferId: transfer.id, status: 'failed', bytesDone: 0, bytesTotal: transfer.bytesExpected, error: { code, message } });
  store().apply({ transferId: transfer.id, status: 'queued', bytesDone: 0, bytesTotal: transfer.bytesExpected });

  const desktop = engine.desktop.current();
  const { desktop: availability, preference } = store();
  const upload = start.direction === 'upload' ? start.input : undefined;
  const choice = chooseClient({
    allowed: response.clients,
    ...(desktop && availability ? { desktop: availability } : {}),
    ...(preference === 'auto' ? {} : { override: preference }),
    ...(upload ? { files: upload.localItems?.length ? 'local' : 'browser' } : {}),
  });
  if (choice.kind === null) {
    fail(choice.reason);
    return;
  }
  const client = choice.kind === 'desktop' && desktop ? desktop : engine.gateway;
  started.client = client;
  store().setCarrier(transfer.id, { kind: client.kind, reason: choice.reason });
  try {
    await client.start({
      transferId: transfer.id,
      direction: transfer.direction,
      transferSpec: response.transferSpec,
      ...(choice.kind === 'http-gateway' && choice.gatewayUrl ? { gatewayUrl: choice.gatewayUrl } : {}),
      ...(upload && client === engine.gateway ? { sources: upload.sources } : {}),
      ...(upload?.localItems?.length
        ? { localPaths: upload.localItems.map((item) => ({ source: item.localPath, destination: item.name })) }
        : {}),
    });
  } catch (error) {
    const e = error as { code?: string; message?: string };
    fail(e.message ?? 'The transfer could not start.', e.code);
  }
}
