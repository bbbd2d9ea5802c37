/** Server-sent events read in tests from a real connection. */

/**
 * Reads server-sent events from a real connection until `until` matches one. Each read races a
 * timer, so "nothing came in time" (the stream still open) fails as `no matching event` at once,
 * and a stream that ends early fails as `stream closed`, never as the other.
 */
export async function readEvents(response: Response, until: (data: Record<string, unknown>) => boolean, timeoutMs = 10_000) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const seen: Array<Record<string, unknown>> = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()), 'expired')));
    const result = await Promise.race([reader.read(), expired]);
    clearTimeout(timer);
    if (result === 'expired') {
      await reader.cancel();
      throw new Error(`no matching event; saw ${JSON.stringify(seen)}`);
    }
    if (result.done) throw new Error(`stream closed; saw ${JSON.stringify(seen)}`);
    buffer += decoder.decode(result.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (!data || !block.includes('event: transfer')) continue;
      const event = JSON.parse(data.slice(6)) as Record<string, unknown>;
      seen.push(event);
      if (until(event)) {
        await reader.cancel();
        return seen;
      }
    }
  }
}
