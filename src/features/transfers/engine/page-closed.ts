import { reportTransfer } from '../api/create-transfer';
import type { EngineState } from './engine-state';

/**
 * The page is going (closed, reloaded, navigated away): the gateway uploads it carries end with it,
 * since the browser's files go too. Tell the portal why while the page can still send
 * (`keepalive`), so the record says it in words on every device rather than the node's "the client
 * closed the connection". Desktop's transfers carry on without the page. If the node got the whole
 * body meanwhile, its completion still wins (transfer-tracker.ts).
 */
export function reportPageClosed(engine: EngineState): void {
  for (const [id, started] of engine.started) {
    if (started.ended || started.start.direction !== 'upload' || started.client !== engine.gateway) continue;
    started.ended = true;
    void reportTransfer(id, { status: 'failed', pageClosed: true }, { keepalive: true }).catch(() => undefined);
  }
}
