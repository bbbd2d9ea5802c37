/**
 * Sends a byte range of a file into an HTTP message through a few reused buffers
 * (docs/performance.md, "Downloads at the limit"): each buffer is read into again only once the
 * socket has taken what it last held (its write's callback), so reads overlap writes and no fresh
 * 1 MiB buffer is allocated and paged in per read, as `fs.createReadStream` does. A download's
 * response (gateway/send-download.ts) and a node-to-node part's request (ops/session-client.ts).
 */
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';

/** Bytes per read and write: fewer thread-pool round trips and socket writes. */
export const READ_BYTES = 1024 * 1024;
/** Buffers per download: one being read while up to three wait for the socket. */
const DEPTH = 4;

/**
 * Writes `length` bytes from `start` and ends the message; stops early when it closes.
 * `onWritten` counts what the socket took. Throws when the file cannot be read or became shorter.
 */
export async function pumpFile(abs: string, start: number, length: number, res: Writable, onWritten: (bytes: number) => void) {
  if (length === 0) {
    res.end();
    return;
  }
  const file = await open(abs, 'r');
  const closed = new Promise<'closed'>((resolve) => {
    if (res.destroyed) resolve('closed');
    else res.once('close', () => resolve('closed'));
  });
  try {
    const size = Math.min(READ_BYTES, length);
    const buffers = Array.from({ length: DEPTH }, () => Buffer.allocUnsafeSlow(size));
    const written: (Promise<void> | undefined)[] = [];
    const end = start + length;
    let at = start;
    for (let i = 0; at < end; i++) {
      const slot = i % DEPTH;
      const before = written[slot];
      if ((before && (await Promise.race([before, closed])) === 'closed') || res.destroyed) return;
      const buffer = buffers[slot] as Buffer;
      const { bytesRead } = await file.read(buffer, 0, Math.min(size, end - at), at);
      if (bytesRead === 0) throw new Error('the file became shorter than the length announced');
      at += bytesRead;
      written[slot] = new Promise((resolve) => {
        res.write(buffer.subarray(0, bytesRead), (err) => {
          if (!err) onWritten(bytesRead);
          resolve();
        });
      });
    }
    res.end();
  } finally {
    await file.close();
  }
}
