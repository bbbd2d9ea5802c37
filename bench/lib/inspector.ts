/**
 * Reads a Courier process's memory from outside, through the V8 inspector it opens when started
 * with `--inspect=127.0.0.1:<port>` (NODE_OPTIONS), so tests can force a full collection and see
 * what the JavaScript side still holds without any debug hook in the product.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { WebSocket } from 'undici';

export interface JsMemory {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface Inspector {
  /** A full, synchronous garbage collection (what V8 does by itself only under allocation pressure). */
  collectGarbage(): Promise<void>;
  memoryUsage(): Promise<JsMemory>;
  close(): void;
}

export const inspectOption = (port: number) => `--inspect=127.0.0.1:${port}`;

export async function connectInspector(port: number): Promise<Inspector> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector target on port ${port}`);
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve);
    socket.addEventListener('error', reject);
  });
  let lastId = 0;
  const pending = new Map<number, (result: unknown) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = ++lastId;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return {
    collectGarbage: async () => {
      await send('HeapProfiler.collectGarbage');
    },
    memoryUsage: async () => {
      const answer = (await send('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())' })) as {
        result: { value: string };
      };
      return JSON.parse(answer.result.value) as JsMemory;
    },
    close: () => socket.close(),
  };
}

const GDB = '/usr/bin/gdb';

/**
 * glibc's `malloc_trim(0)` in process `pid`, through gdb: returns the freed heap pages glibc keeps
 * mapped for reuse, so the RSS that remains is memory still in use. Returns null when it ran, or
 * why it could not (gdb missing, ptrace restricted).
 */
export function mallocTrim(pid: number): string | null {
  if (!existsSync(GDB)) return `${GDB} is not installed`;
  try {
    execFileSync(GDB, ['--batch', '-p', String(pid), '-ex', 'call (int) malloc_trim(0)'], { stdio: 'pipe', timeout: 60_000 });
    return null;
  } catch (err) {
    return `gdb could not call malloc_trim: ${(err as { stderr?: Buffer }).stderr?.toString().trim() ?? String(err)}`;
  }
}
