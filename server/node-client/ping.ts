/**
 * `GET /ping` of a Node API without credentials (docs/node-api.md §2: ascli's product detection calls it
 * unauthenticated and HSTS answers an empty 200; the embedded node does too). Health only needs
 * reachability, so this never throws. For an authenticated check use `createNodeClient(…).ping()`.
 */
import { NodeApiError } from './node-api-error';
import { createTransport } from './node-transport';

export async function pingNode(
  nodeUrl: string,
  timeoutMs = 2000,
  { verifyTls = true }: { verifyTls?: boolean } = {},
): Promise<{ ok: boolean; message?: string }> {
  try {
    await createTransport({ baseUrl: nodeUrl, verifyTls, timeoutMs })('GET', '/ping', { ignoreBody: true });
    return { ok: true };
  } catch (error) {
    if (!(error instanceof NodeApiError)) return { ok: false, message: 'unreachable' };
    if (error.kind === 'unavailable')
      return { ok: false, message: error.code === 'TIMEOUT' ? `no answer within ${timeoutMs} ms` : 'unreachable' };
    return { ok: false, message: error.status === null ? 'ping answered garbage' : `ping answered HTTP ${error.status}` };
  }
}
