/**
 * `GET /ping` of a Node API (no authentication, empty 200 on HSTS and on the embedded node).
 * The full Node API client arrives with the portal API; health only needs reachability.
 */
export async function pingNode(nodeUrl: string, timeoutMs = 2000): Promise<{ ok: boolean; message?: string }> {
  try {
    const response = await fetch(new URL('ping', withSlash(nodeUrl)), { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok ? { ok: true } : { ok: false, message: `ping answered HTTP ${response.status}` };
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'unreachable';
    return { ok: false, message: reason };
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
