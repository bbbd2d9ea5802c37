import type { TransferClientEvent } from '../../../transfer-clients';
import { isEnded } from '../lib/display-status';
import { store, type EngineState } from './engine-state';
import { report, reportEnd, VERB } from './report';

/** How long a failure after bytes moved waits for the readability check to name a file. */
const EXPLAIN_WAIT_MS = 3_000;

/**
 * The one headless adapter from transfer-client events to state: live progress into the zustand
 * store, the first `running` back to the portal, 25% steps to screen readers, and ends to
 * reportEnd. Every client the runner holds feeds the handler this returns.
 */
export function createClientEventHandler(engine: EngineState): (event: TransferClientEvent) => void {
  function applyEvent(event: TransferClientEvent) {
    store().apply(event);
    const started = engine.started.get(event.transferId);
    if (!started || started.ended) return;
    if (event.status === 'running' && !started.reportedRunning) {
      started.reportedRunning = true;
      void report(engine.queryClient, event.transferId, { status: 'running', client: started.client?.kind ?? engine.gateway.kind });
    }
    if ((event.status === 'paused') !== (started.paused ?? false)) {
      started.paused = event.status === 'paused';
      // An end after a pause is said by reportEnd below.
      if (started.paused || !isEnded(event.status)) store().announce(`${started.title}: ${started.paused ? 'paused' : 'resumed'}.`);
    }
    if (event.status === 'running' && event.bytesTotal) {
      // Every 25%: often enough to follow, rarely enough not to talk over everything else.
      const quarter = Math.floor((event.bytesDone / event.bytesTotal) * 4);
      if (quarter > started.quarter && quarter < 4) {
        started.quarter = quarter;
        store().announce(`${started.title}: ${quarter * 25}% ${VERB[started.start.direction]}.`);
      }
    }
    if (isEnded(event.status)) reportEnd(engine.queryClient, event.transferId, started, event, true);
  }

  return function onEvent(event) {
    const started = engine.started.get(event.transferId);
    const check =
      started && !started.ended && started.start.direction === 'upload' && started.client === engine.gateway
        ? started.start.input.checkReadable
        : undefined;
    if (event.status === 'failed' && check) void explainFailure(event, check).then(applyEvent);
    else applyEvent(event);
  };
}

/**
 * A gateway upload that failed may have met a file the browser can no longer read: the check
 * names it. Chromium opens every file before it sends a byte, so a failure with nothing sent
 * waits for the whole check; one after bytes moved is most likely the network, and waits briefly.
 */
async function explainFailure(event: TransferClientEvent, check: () => Promise<string | null>): Promise<TransferClientEvent> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), EXPLAIN_WAIT_MS)));
  const reason = await (event.bytesDone === 0 ? check() : Promise.race([check(), timeout])).catch(() => null);
  clearTimeout(timer);
  return reason ? { ...event, error: { code: 'FILE_UNREADABLE', message: reason } } : event;
}
